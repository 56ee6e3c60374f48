/**
 * A production worker (WorkerModule) as its own process, for `npm run bench -- certificates-scale` and
 * `-- scaleout`: prints "ready" once it takes jobs, then "rendered <n>" after each certificates.render job it
 * completed and "completed <job name>" after every job it completed on any queue (so the benchmark knows each
 * process's share, from the BullMQ worker that ran the job), and closes gracefully on SIGTERM.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { QUEUE_PROCESSORS } from '../src/jobs/processors';
import { WorkerModule } from '../src/worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await app.init();
  for (const processor of QUEUE_PROCESSORS) {
    app.get(processor).worker.on('completed', (job, result: { rendered?: number } | string) => {
      if (job.name === 'certificates.render' && typeof result === 'object') console.log(`rendered ${result.rendered ?? 0}`);
      console.log(`completed ${job.name}`);
    });
  }
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
