import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { QUEUES } from './jobs/jobs';
import { Logger } from 'nestjs-pino';
import { appConfig, ConfigError } from './config/config';
import { ensureDatabase } from './database/ensure-database';
import { connectRedis } from './redis/redis';
import { assertNoEviction } from './redis/eviction-policy';
import { WorkerModule } from './worker.module';
import { exitIfStillRunningAfter } from './common/shutdown-drain';

async function bootstrap(): Promise<void> {
  const config = appConfig();
  await ensureDatabase(config);
  const redis = await connectRedis(config);
  try {
    await assertNoEviction(redis);
  } finally {
    redis.disconnect();
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Closing waits for the jobs in flight; one that runs on past the drain is cut off (its lock lapses and
  // another worker runs it again: jobs are idempotent).
  exitIfStillRunningAfter(config.http.shutdownDrainSeconds, 'The worker');
  await app.init();
  console.log(`Worker started: processing queues ${QUEUES.join(', ')}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Cannot start the worker: ${(error as Error).message ?? error}`);
  process.exit(1);
});
