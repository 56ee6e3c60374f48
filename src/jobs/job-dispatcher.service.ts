import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobRegistry } from './jobs';
import { JOB_REGISTRY } from './jobs.service';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/**
 * Finds the @JobHandler methods at start-up and refuses to start unless every registered job name has
 * exactly one handler (and every handler a registered name). Then routes each job to its handler.
 */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger(JobDispatcher.name);
  private handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(JOB_REGISTRY) private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    const found: Array<{ name: string; owner: string; handler: Handler }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.discovery.getMetadataByDecorator(JOB_HANDLER, wrapper, method);
        if (!name) continue;
        const fn = instance[method] as (...args: unknown[]) => Promise<unknown>;
        found.push({ name, owner: `${instance.constructor.name}.${method}`, handler: fn.bind(instance) });
      }
    }
    this.handlers = buildHandlerMap(this.registry, found);
    this.logger.log(`Job handlers: ${[...this.handlers.keys()].join(', ') || 'none'}`);
  }

  dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    return handler(job.data, job);
  }
}

/** Pure check used at start-up: exactly one handler per registered name, no handler for an unknown name. */
export function buildHandlerMap(
  registry: JobRegistry,
  found: Array<{ name: string; owner: string; handler: Handler }>,
): Map<string, Handler> {
  const problems: string[] = [];
  const map = new Map<string, Handler>();
  for (const name of Object.keys(registry)) {
    const owners = found.filter((f) => f.name === name);
    if (owners.length === 0) problems.push(`job "${name}" has no @JobHandler`);
    if (owners.length > 1) problems.push(`job "${name}" has ${owners.length} handlers: ${owners.map((o) => o.owner).join(', ')}`);
    if (owners.length === 1) map.set(name, owners[0].handler);
  }
  for (const f of found) {
    if (!registry[f.name]) problems.push(`${f.owner} handles "${f.name}", which is not in JOB_DEFINITIONS`);
  }
  if (problems.length) throw new Error(`Job handlers are inconsistent:\n  - ${problems.join('\n  - ')}`);
  return map;
}
