import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import type { JobName, JobPayloads } from './jobs';

const jobHandler = DiscoveryService.createDecorator<JobName>();

type Handler<N extends JobName> = (payload: JobPayloads[N], job: Job) => Promise<unknown>;
/** `never` unless the method's first parameter is exactly the job's payload type. */
type TakesPayload<M extends (...args: never[]) => unknown, N extends JobName> = [Parameters<M>[0]] extends [JobPayloads[N]]
  ? [JobPayloads[N]] extends [Parameters<M>[0]]
    ? unknown
    : never
  : never;

/**
 * Marks the one method that handles a job name (checked at worker start-up). Typed by the name: the method's
 * first parameter must be that job's payload (`JobPayloads[name]`), so a handler cannot drift from the registry.
 */
export function JobHandler<N extends JobName>(name: N) {
  return jobHandler(name) as <M extends Handler<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M> & TakesPayload<M, N>) => void;
}

/** The metadata key the dispatcher finds the handlers by. */
export const JOB_HANDLER = jobHandler;
