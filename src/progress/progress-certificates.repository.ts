import { Injectable } from '@nestjs/common';

/** What certificates ask of the progress tables: who completed a course, as subqueries to compose. */
@Injectable()
export class ProgressCertificatesRepository {
  // for certificates

  /** `user_id, credit_hours, completed_at` of the learners the frozen results of a closed course say completed it. */
  completedResults(courseId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT r.user_id, r.credit_hours, r.completed_at FROM course_results r WHERE r.course_id = ? AND r.completed = 1`, params: [courseId] };
  }

  /** The same from live progress, limited to the learners `among` selects (ids, one column). */
  completedLive(courseId: string, among: { sql: string; params: unknown[] }): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT p.user_id, p.credit_hours, p.completed_at FROM course_progress p WHERE p.course_id = ? AND p.completed = 1 AND p.user_id IN (${among.sql})`,
      params: [courseId, ...among.params],
    };
  }
}
