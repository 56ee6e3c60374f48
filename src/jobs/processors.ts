import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobDispatcher } from './job-dispatcher.service';

// One BullMQ worker per queue; all of them route by job name through the dispatcher.
abstract class DispatchingProcessor extends WorkerHost implements BeforeApplicationShutdown {
  // Property injection: the subclasses declare no constructor, so no parameter metadata is emitted for them.
  @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher;

  process(job: Job): Promise<unknown> {
    return this.dispatcher.dispatch(job);
  }

  /**
   * Stops taking jobs and lets those in flight finish before any module closes: @nestjs/bullmq closes the
   * queues (which jobs use to queue follow-up jobs) and these workers at the same time, so a job in flight at
   * shutdown failed on "Connection is closed" and was run again later. (Closing again later is a no-op.)
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}

@Processor('courses', { concurrency: 4 })
export class CoursesQueueProcessor extends DispatchingProcessor {}

@Processor('reminders', { concurrency: 8 })
export class RemindersQueueProcessor extends DispatchingProcessor {}

@Processor('certificates', { concurrency: 2 })
export class CertificatesQueueProcessor extends DispatchingProcessor {}

@Processor('assessments', { concurrency: 2 })
export class AssessmentsQueueProcessor extends DispatchingProcessor {}

export const QUEUE_PROCESSORS = [CoursesQueueProcessor, RemindersQueueProcessor, CertificatesQueueProcessor, AssessmentsQueueProcessor];
