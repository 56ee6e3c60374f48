import type { Course } from '../courses/course.entity';
import type { CourseProgress } from './course-progress.entity';

/** A course is complete when every required activity is done and the 学时 and session minimums are met. */
export function isComplete(
  summary: Pick<CourseProgress, 'requiredDone' | 'requiredTotal' | 'creditHours' | 'sessionsAttended'>,
  course: Pick<Course, 'requiredCreditHours' | 'requiredSessions'>,
): boolean {
  return (
    (summary.requiredTotal > 0 || course.requiredCreditHours > 0) &&
    summary.requiredDone >= summary.requiredTotal &&
    summary.creditHours >= course.requiredCreditHours &&
    summary.sessionsAttended >= course.requiredSessions
  );
}

/** The same rule as isComplete, for set-based updates of course_progress; its parameters come from completeParams(). */
export const COMPLETE_SQL = `(required_total > 0 OR ? > 0) AND required_done >= required_total AND credit_hours >= ? AND sessions_attended >= ?`;
export const completeParams = (course: Pick<Course, 'requiredCreditHours' | 'requiredSessions'>) => [
  course.requiredCreditHours,
  course.requiredCreditHours,
  course.requiredSessions,
];
