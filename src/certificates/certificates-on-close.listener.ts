import { Injectable } from '@nestjs/common';
import type { AfterCommitEvents } from '../events/event-map';
import { OnEvent } from '../events/on-event.decorator';
import { JobsService } from '../jobs/jobs.service';

/** However a course closed (its scheduled job or the department), its certificates are compiled. */
@Injectable()
export class CertificatesOnCloseListener {
  constructor(private readonly jobs: JobsService) {}

  /** The compile's job id is fixed per course, so a close told twice (a retried closing job) queues it once. */
  @OnEvent('course.closed')
  async compile({ courseId }: AfterCommitEvents['course.closed']): Promise<void> {
    await this.jobs.enqueue('certificates.compile', { courseId });
  }
}
