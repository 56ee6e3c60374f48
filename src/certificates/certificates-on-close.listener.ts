import { Injectable } from '@nestjs/common';
import { OnEvent } from '../events/on-event.decorator';
import type { AfterCommitEvents } from '../events/event-map';
import { JobsService } from '../jobs/jobs.service';

/**
 * However a course closed (its scheduled job or the department), its certificates are compiled. The job id is
 * fixed per course (JOB_DEFINITIONS), so the event told again — a retried close — queues nothing new, and the
 * closing page follows the compile by that same id.
 */
@Injectable()
export class CertificatesOnClose {
  constructor(private readonly jobs: JobsService) {}

  @OnEvent('course.closed')
  async compile(event: AfterCommitEvents['course.closed']): Promise<void> {
    await this.jobs.enqueue('certificates.compile', { courseId: event.courseId });
  }
}
