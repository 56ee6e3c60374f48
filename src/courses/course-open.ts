import { ConflictException } from '@nestjs/common';
import type { Course } from './course.entity';

/** 409 for anything that would change a closed course: its results are final (reports and certificates use them). */
export function assertOpen(course: Pick<Course, 'status'>): void {
  if (course.status === 'closed') {
    throw new ConflictException({ message: '培训班已结业，不能再修改', code: 'COURSE_CLOSED' });
  }
}
