import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleInit, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { OUTAGE_ANSWERS, OutageLog } from '../common/dependency-outage';
import { JobName, JobPayloads, JobRegistry, QUEUES, QueueName } from './jobs';

export const JOB_REGISTRY = Symbol('JOB_REGISTRY');

/** Enqueues typed jobs under their deterministic ids, so a duplicate enqueue is a no-op. */
@Injectable()
export class JobsService implements OnModuleInit {
  private readonly outages = new OutageLog(new Logger(JobsService.name));

  constructor(
    @Inject(JOB_REGISTRY) private readonly registry: JobRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Without a listener BullMQ prints every failed reconnection attempt of every queue to the console.
    for (const name of QUEUES) {
      this.queue(name).on('error', (error) => this.outages.report('redis', error, 'jobs wait until it is back'));
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<Job> {
    const definition = this.definition(name);
    return (await this.connectedQueue(definition.queue)).add(name, payload, {
      ...definition.options,
      ...options,
      jobId: definition.id(payload),
    });
  }

  /** One round trip for many jobs of one name (fan-out to thousands of learners). */
  async enqueueBulk<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>, options: JobsOptions = {}): Promise<Job[]> {
    const definition = this.definition(name);
    return (await this.connectedQueue(definition.queue)).addBulk(
      payloads.map((payload) => ({ name, data: payload, opts: { ...definition.options, ...options, jobId: definition.id(payload) } })),
    );
  }

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /**
   * The queue, if its Redis connection is up. BullMQ's connection retries forever (it must, for workers), so
   * an add while Redis is down would wait for as long as the outage lasts: the caller gets 503 at once instead.
   */
  private async connectedQueue(name: QueueName): Promise<Queue> {
    const queue = this.queue(name);
    if ((await queue.getBackend().client).status !== 'ready') throw new ServiceUnavailableException(OUTAGE_ANSWERS.redis);
    return queue;
  }

  private definition(name: string) {
    const definition = this.registry[name];
    if (!definition) throw new Error(`Unknown job ${name}: add it to JOB_DEFINITIONS in src/jobs/jobs.ts`);
    return definition;
  }
}
