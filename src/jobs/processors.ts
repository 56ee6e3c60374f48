import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobDispatcher } from './job-dispatcher.service';

// One BullMQ worker per queue; all of them route by job name through the dispatcher.
abstract class DispatchingProcessor extends WorkerHost {
  // Property injection: the subclasses declare no constructor, so no parameter metadata is emitted for them.
  @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher;

  process(job: Job): Promise<unknown> {
    return this.dispatcher.dispatch(job);
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
