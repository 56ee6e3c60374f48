import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { JobName, JobPayloads, JobRegistry, QueueName } from './jobs';

export const JOB_REGISTRY = Symbol('JOB_REGISTRY');

/** Enqueues typed jobs under their deterministic ids, so a duplicate enqueue is a no-op. */
@Injectable()
export class JobsService {
  constructor(
    @Inject(JOB_REGISTRY) private readonly registry: JobRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<Job> {
    const definition = this.definition(name);
    return this.queue(definition.queue).add(name, payload, {
      ...definition.options,
      ...options,
      jobId: definition.id(payload),
    });
  }

  /** One round trip for many jobs of one name (fan-out to thousands of learners). */
  async enqueueBulk<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>, options: JobsOptions = {}): Promise<Job[]> {
    const definition = this.definition(name);
    return this.queue(definition.queue).addBulk(
      payloads.map((payload) => ({ name, data: payload, opts: { ...definition.options, ...options, jobId: definition.id(payload) } })),
    );
  }

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private definition(name: string) {
    const definition = this.registry[name];
    if (!definition) throw new Error(`Unknown job ${name}: add it to JOB_DEFINITIONS in src/jobs/jobs.ts`);
    return definition;
  }
}
