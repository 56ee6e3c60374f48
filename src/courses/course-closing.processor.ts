import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { CoursesService } from './courses.service';

/**
 * Closes a course when its period plus grace (补学) has passed; safe to run twice or early. Closing tells the
 * other modules (course.closed): the certificates module queues the compile.
 */
@Injectable()
export class CourseClosingProcessor {
  private readonly logger = new Logger(CourseClosingProcessor.name);

  constructor(private readonly courses: CoursesService) {}

  @JobHandler('course.close')
  async close(payload: JobPayloads['course.close']): Promise<string> {
    const outcome = await this.courses.closeWhenDue(payload.courseId);
    this.logger.log(`course ${payload.courseId}: ${outcome}`);
    return outcome;
  }
}
