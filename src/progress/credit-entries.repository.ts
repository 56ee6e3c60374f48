import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** The credit_entries table: the 学时 ledger, append-only, one unique key per entry. */
@Injectable()
export class CreditEntriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends the entry unless its key exists; returns whether it was added. */
  async insertOnce(
    entry: { key: string; courseId: string; userId: string; activityId: string; hours: number; source: 'online' | 'offline'; reason: string },
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager.query(
      `INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [entry.key, entry.courseId, entry.userId, entry.activityId, entry.hours, entry.source, entry.reason],
    );
    return result.affectedRows === 1;
  }

  /** Everything the learner holds for the activity: the completion and any later corrections. */
  async sumHours(courseId: string, userId: string, activityId: string, manager: EntityManager): Promise<number> {
    const [{ hours }] = await manager.query(
      `SELECT COALESCE(SUM(hours), 0) AS hours FROM credit_entries WHERE course_id = ? AND user_id = ? AND activity_id = ?`,
      [courseId, userId, activityId],
    );
    return Number(hours);
  }

  /**
   * Books, for every learner who completed the activity, the difference between `hours` and what the ledger
   * holds for their completion, keyed by both (never twice). Returns how many entries were booked.
   */
  async insertCorrections(activity: { id: string; creditHours: number; title: string; source: 'online' | 'offline' }, manager: EntityManager): Promise<number> {
    const result = await manager.query(
      `INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason)
       SELECT CONCAT('a:', ap.activity_id, ':', ap.user_id, ':', ap.completion_round, ':', h.held + 0e0, '>', ?), ap.course_id, ap.user_id, ap.activity_id,
              ? - h.held, ?, LEFT(CONCAT('学时调整 ', h.held + 0e0, ' → ', ?, ': ', ?), 200)
         FROM activity_progress ap
         JOIN (SELECT user_id, SUM(hours) AS held FROM credit_entries WHERE activity_id = ? GROUP BY user_id) h ON h.user_id = ap.user_id
        WHERE ap.activity_id = ? AND ap.state = 'completed' AND h.held <> ?`,
      [activity.creditHours, activity.creditHours, activity.source, activity.creditHours, activity.title, activity.id, activity.id, activity.creditHours],
    );
    return result.affectedRows as number;
  }

  /** The learner's entries across all courses, oldest first. */
  findByLearner(userId: string): Promise<{ courseId: string; activityId: string | null; hours: string; source: 'online' | 'offline'; reason: string; at: Date }[]> {
    return this.dataSource.query(
      `SELECT course_id AS courseId, activity_id AS activityId, hours, source, reason, created_at AS at FROM credit_entries WHERE user_id = ? ORDER BY id`,
      [userId],
    );
  }
}
