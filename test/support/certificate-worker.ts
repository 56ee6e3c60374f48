/**
 * The production worker (WorkerModule) as a separate process a test can kill with SIGKILL. Run with
 * `node -r ./test/support/swc-register.js test/support/certificate-worker.ts`; prints "ready" once it
 * processes jobs. One change: BullMQ notices a dead worker's job when its lock lapses (30 s) and a stalled
 * check runs (every 30 s); here both take about a second, so the resume happens within the test's patience.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CertificatesQueueProcessor } from '../../src/jobs/processors';
import { WorkerModule } from '../../src/worker.module';

const WORKER_METADATA = 'bullmq:worker_metadata'; // @nestjs/bullmq's key for @Processor's worker options
Reflect.defineMetadata(
  WORKER_METADATA,
  { ...(Reflect.getMetadata(WORKER_METADATA, CertificatesQueueProcessor) ?? {}), lockDuration: 1500, stalledInterval: 700 },
  CertificatesQueueProcessor,
);

NestFactory.createApplicationContext(WorkerModule, { logger: false })
  .then((app) => app.init())
  .then(() => console.log('ready'))
  .catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
