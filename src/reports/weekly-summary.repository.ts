import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Part of the declared read model (see reports.repository.ts): the figures of the admins' weekly summary
 * mail (reminders), read live from the enrolments, people, branches and progress summaries, for reporting only.
 */

/**
 * Who is behind: not completed, and fewer than `expectedDone` required done or a due date missed before `asOf`
 * (the learner's stored first missed due date, course_progress.first_missing_due_at).
 */
export interface BehindCriteria {
  expectedDone: number;
  asOf: Date;
}

@Injectable()
export class WeeklySummaryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active learners and completions by branch (null: without a branch), by branch name. */
  async completionByBranch(courseId: string, unitId: string | null): Promise<Array<{ name: string | null; enrolled: number; completed: number }>> {
    const rows: Array<{ name: string | null; enrolled: string; completed: string }> = await this.dataSource.query(
      `SELECT b.name, COUNT(*) AS enrolled, SUM(COALESCE(cp.completed, 0)) AS completed
         FROM enrollments e JOIN users u ON u.id = e.user_id
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
        WHERE e.course_id = ? AND e.status = 'active' ${unitId ? 'AND u.unit_id = ?' : ''}
        GROUP BY b.id, b.name ORDER BY b.name`,
      [courseId, ...(unitId ? [unitId] : [])],
    );
    return rows.map((r) => ({ name: r.name, enrolled: Number(r.enrolled), completed: Number(r.completed) }));
  }

  /** The first `limit` learners behind (fewest required done first, then by name) and how many there are. */
  async behind(
    courseId: string,
    unitId: string | null,
    criteria: BehindCriteria,
    limit: number,
  ): Promise<{ learners: Array<{ name: string; branch: string | null; requiredDone: number }>; total: number }> {
    const behind = behindSql(criteria);
    const from = `FROM enrollments e JOIN users u ON u.id = e.user_id
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
        WHERE e.course_id = ? AND e.status = 'active' AND COALESCE(cp.completed, 0) = 0 ${unitId ? 'AND u.unit_id = ?' : ''} AND ${behind.sql}`;
    const params = [courseId, ...(unitId ? [unitId] : []), ...behind.params];
    const rows: Array<{ name: string; branch: string | null; required_done: string }> = await this.dataSource.query(
      `SELECT u.name, b.name AS branch, COALESCE(cp.required_done, 0) AS required_done ${from}
        ORDER BY COALESCE(cp.required_done, 0), u.name LIMIT ?`,
      [...params, limit],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from}`, params);
    return { learners: rows.map((r) => ({ name: r.name, branch: r.branch, requiredDone: Number(r.required_done) })), total: Number(total) };
  }
}

/** The behind rule over `e` (enrollments) and `cp` (course_progress, which every enrolment creates). */
function behindSql(criteria: BehindCriteria): { sql: string; params: unknown[] } {
  return {
    sql: `(COALESCE(cp.required_done, 0) < ? OR cp.first_missing_due_at < ?)`,
    params: [criteria.expectedDone, criteria.asOf],
  };
}
