import { NestFactory } from '@nestjs/core';
import { CliModule, ContentCliModule } from '../../src/cli/cli.module';
import { UsersService } from '../../src/users/users.service';
import { ContentImportService } from '../../src/content/content-import.service';

/** The command-line tools' modules resolve every dependency (admin:create, demo, content:import, progress:rebuild). */
describe('command-line modules', () => {
  it.each([
    ['CliModule', CliModule, UsersService],
    ['ContentCliModule', ContentCliModule, ContentImportService],
  ] as const)('%s starts and provides its services', async (_name, module, service) => {
    const app = await NestFactory.createApplicationContext(module, { logger: false });
    try {
      expect(app.get(service)).toBeInstanceOf(service);
    } finally {
      await app.close();
    }
  });
});
