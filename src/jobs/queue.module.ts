import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

import { DEFAULT_JOB_OPTIONS, JOB_DEFINITIONS, QUEUES } from './jobs';
import { JOB_REGISTRY, JobsService } from './jobs.service';

export function bullPrefix(config: AppConfig): string {
  return `${config.redis.prefix}:bull`;
}

/** Queues for both processes: the API enqueues, the worker (WorkerModule) also processes. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // BullMQ needs maxRetriesPerRequest: null on its blocking connections.
        connection: { url: config.redis.url, maxRetriesPerRequest: null } satisfies RedisOptions,
        prefix: bullPrefix(config),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobsService, { provide: JOB_REGISTRY, useValue: JOB_DEFINITIONS }],
  exports: [JobsService, JOB_REGISTRY, BullModule],
})
export class QueueModule {}
