import { ConflictException } from '@nestjs/common';
import type { CourseRow } from './course-rows';

/** 409 for anything that would change a closed course: its results are final (reports and certificates use them). */
export function assertOpen(course: Pick<CourseRow, 'status'>): void {
  if (course.status === 'closed') {
    throw new ConflictException({ message: '培训班已结业，不能再修改', code: 'COURSE_CLOSED' });
  }
}
