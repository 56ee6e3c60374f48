import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What reminders ask of the progress tables: who has done what, as subqueries and per learner. */
@Injectable()
export class ProgressRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for reminders

  /** Learners (`user_id`) who completed the course. */
  courseCompletedIds(courseId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT cp.user_id FROM course_progress cp WHERE cp.course_id = ? AND cp.completed = 1`, params: [courseId] };
  }

  /** Learners (`user_id`) who completed the activity. */
  activityCompletedIds(activityId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT ap.user_id FROM activity_progress ap WHERE ap.activity_id = ? AND ap.state = 'completed'`, params: [activityId] };
  }

  /**
   * Learners (`user_id`) not behind in the course: completed it, or done at least `expectedDone` required
   * activities and every one of `overdueIds`. A learner without a summary row has done nothing.
   */
  onTrackIds(courseId: string, expectedDone: number, overdueIds: string[]): { sql: string; params: unknown[] } {
    const overdue = overdueIds.length
      ? ` AND (SELECT COUNT(*) FROM activity_progress ap WHERE ap.user_id = cp.user_id AND ap.activity_id IN (${overdueIds.map(() => '?').join(', ')}) AND ap.state = 'completed') >= ?`
      : '';
    return {
      sql: `SELECT cp.user_id FROM course_progress cp WHERE cp.course_id = ? AND (cp.completed = 1 OR (cp.required_done >= ?${overdue}))`,
      params: [courseId, expectedDone, ...(overdueIds.length ? [...overdueIds, overdueIds.length] : [])],
    };
  }

  /** The learner's course summary (zeros before any progress). */
  async courseSummaryOf(courseId: string, userId: string): Promise<{ completed: boolean; requiredDone: number; creditHours: number }> {
    const [row] = await this.dataSource.query(`SELECT completed, required_done, credit_hours FROM course_progress WHERE course_id = ? AND user_id = ?`, [courseId, userId]);
    return { completed: Number(row?.completed ?? 0) === 1, requiredDone: Number(row?.required_done ?? 0), creditHours: Number(row?.credit_hours ?? 0) };
  }

  /** The ids of the course's activities the learner completed. */
  async completedActivityIds(courseId: string, userId: string): Promise<Set<string>> {
    const rows: Array<{ activity_id: string }> = await this.dataSource.query(
      `SELECT activity_id FROM activity_progress WHERE course_id = ? AND user_id = ? AND state = 'completed'`,
      [courseId, userId],
    );
    return new Set(rows.map((r) => String(r.activity_id)));
  }

  async isActivityCompleted(activityId: string, userId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT state FROM activity_progress WHERE activity_id = ? AND user_id = ?`, [activityId, userId]);
    return row?.state === 'completed';
  }
}
