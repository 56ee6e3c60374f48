/**
 * A production worker (WorkerModule) as its own process, for `npm run bench -- certificates-scale`: prints
 * "ready" once it takes jobs, then "rendered <n>" after each certificates.render job it completed (so the
 * benchmark knows each process's share), and closes gracefully on SIGTERM.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CertificatesQueueProcessor } from '../src/jobs/processors';
import { WorkerModule } from '../src/worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await app.init();
  app.get(CertificatesQueueProcessor).worker.on('completed', (job, result: { rendered?: number } | string) => {
    if (job.name === 'certificates.render' && typeof result === 'object') console.log(`rendered ${result.rendered ?? 0}`);
  });
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  console.log('ready');
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
