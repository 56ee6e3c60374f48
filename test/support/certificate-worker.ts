/**
 * The production worker (WorkerModule) as a separate process a test can kill with SIGKILL. Run with
 * `node -r ./test/support/swc-register.js test/support/certificate-worker.ts`; prints "ready" once it
 * processes jobs. One change: BullMQ notices a dead worker's job when its lock lapses (30 s) and a stalled
 * check runs (every 30 s); here both take about a second, so the resume happens within the test's patience.
 * With CERTIFICATE_PDFS_BEFORE_HANG=n, storing the (n+1)th certificate PDF never ends: a test kills the worker
 * while it renders without racing a render that may finish within milliseconds.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CertificatesQueueProcessor } from '../../src/jobs/processors';
import { StorageDriver } from '../../src/storage/storage';
import { WorkerModule } from '../../src/worker.module';

const WORKER_METADATA = 'bullmq:worker_metadata'; // @nestjs/bullmq's key for @Processor's worker options
Reflect.defineMetadata(
  WORKER_METADATA,
  { ...(Reflect.getMetadata(WORKER_METADATA, CertificatesQueueProcessor) ?? {}), lockDuration: 1500, stalledInterval: 700 },
  CertificatesQueueProcessor,
);

/** Makes the storage hang on certificate PDFs once `allowed` have been stored. */
function hangAfter(storage: StorageDriver, allowed: number): void {
  const putBytes = storage.putBytes.bind(storage);
  let stored = 0;
  storage.putBytes = (key, bytes, contentType) =>
    key.startsWith('certificates/') && stored++ >= allowed ? new Promise(() => undefined) : putBytes(key, bytes, contentType);
}

NestFactory.createApplicationContext(WorkerModule, { logger: false })
  .then((app) => {
    const allowed = process.env.CERTIFICATE_PDFS_BEFORE_HANG;
    if (allowed !== undefined) hangAfter(app.get(StorageDriver), Number(allowed));
    return app.init();
  })
  .then(() => console.log('ready'))
  .catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
