import type { ModuleMetadata, Provider, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { appConfig } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { EventsModule } from '../../src/events/events.module';

export interface ServiceModule {
  module: TestingModule;
  dataSource: DataSource;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * One module's services on the real test database (migrated by the global set-up) and the event bus, for
 * service-level tests: the rules are tested without HTTP, and collaborators from other modules can be
 * replaced with `replace: [[OtherService, fake]]`.
 */
export async function createServiceModule(
  metadata: Pick<ModuleMetadata, 'imports' | 'providers'>,
  options: { replace?: Array<[unknown, unknown]> } = {},
): Promise<ServiceModule> {
  let builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(appConfig()), DatabaseModule, EventsModule, ...(metadata.imports ?? [])],
    providers: [...((metadata.providers ?? []) as Provider[])],
  });
  for (const [token, value] of options.replace ?? []) builder = builder.overrideProvider(token).useValue(value);
  const module = await builder.compile();
  await module.init();
  return {
    module,
    dataSource: module.get(DataSource),
    get: <T>(type: Type<T>) => module.get(type, { strict: false }),
    close: () => module.close(),
  };
}
