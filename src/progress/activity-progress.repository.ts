import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { ActivityProgress } from './activity-progress.entity';

/** The activity_progress table: each learner's state in each activity. */
@Injectable()
export class ActivityProgressRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /**
   * The learner's row in the activity, created not started when missing, under an exclusive lock.
   * ON DUPLICATE KEY takes the row's exclusive lock at once (INSERT IGNORE would take a shared one first,
   * and two events of one learner would then deadlock upgrading it).
   */
  async lockForLearner(courseId: string, activityId: string, userId: string, manager: EntityManager): Promise<ActivityProgress> {
    await manager.query(
      `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent) VALUES (?, ?, ?, 'not_started', 0)
       ON DUPLICATE KEY UPDATE id = id`,
      [courseId, activityId, userId],
    );
    return manager
      .createQueryBuilder(ActivityProgress, 'ap')
      .setLock('pessimistic_write')
      .where('ap.activity_id = :activityId AND ap.user_id = :userId', { activityId, userId })
      .getOneOrFail();
  }

  /**
   * An UPDATE, not save(): save() would re-read the row outside the lock, from the transaction's older
   * snapshot, miss a row another event just created, and try to insert it again.
   */
  async update(row: ActivityProgress, manager: EntityManager): Promise<void> {
    await manager.update(
      ActivityProgress,
      { id: row.id },
      {
        state: row.state,
        percent: row.percent,
        startedAt: row.startedAt,
        completedAt: row.completedAt,
        madeUp: row.madeUp,
        lastEventAt: row.lastEventAt,
        completionRound: row.completionRound,
      },
    );
  }

  /** The latest completion among `activityIds` (a subquery of ids) of the learner in the course. */
  async lastCompletedAt(courseId: string, userId: string, activityIds: { sql: string; params: unknown[] } | null, manager: EntityManager): Promise<Date | null> {
    const among = activityIds ? ` AND ap.activity_id IN (${activityIds.sql})` : '';
    const [row] = await manager.query(
      `SELECT MAX(ap.completed_at) AS at FROM activity_progress ap
        WHERE ap.course_id = ? AND ap.user_id = ? AND ap.state = 'completed'${among}`,
      [courseId, userId, ...(activityIds?.params ?? [])],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /** Bulk percent updates of rows in progress, one statement per batch, never moving a state. */
  async raisePercents(rows: { activityId: string; userId: string; percent: number }[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE activity_progress ap
         JOIN (${rows.map(() => 'SELECT ? AS activity_id, ? AS user_id, ? AS percent').join(' UNION ALL ')}) v
           ON v.activity_id = ap.activity_id AND v.user_id = ap.user_id
          SET ap.percent = GREATEST(ap.percent, LEAST(99, v.percent)), ap.last_event_at = CURRENT_TIMESTAMP(3)
        WHERE ap.state = 'in_progress'`,
      rows.flatMap((r) => [r.activityId, r.userId, Math.max(0, Math.floor(r.percent))]),
    );
  }

  findByLearner(userId: string, activityIds: string[]): Promise<ActivityProgress[]> {
    return this.manager().find(ActivityProgress, { where: { userId, activityId: In(activityIds) } });
  }

  existsCompleted(activityId: string, userId: string): Promise<boolean> {
    return this.manager().exists(ActivityProgress, { where: { activityId, userId, state: 'completed' } });
  }

  existsForActivity(activityId: string): Promise<boolean> {
    return this.manager().exists(ActivityProgress, { where: { activityId } });
  }

  /**
   * The completions of these learners in these courses (pairs), with whether each activity counts as
   * required; `counting` is ActivitiesRepository.countingOf().
   */
  findCompletedOf(
    pairs: string[][],
    counting: { sql: string; params: unknown[] },
    manager: EntityManager,
  ): Promise<{ course_id: string; activity_id: string; user_id: string; completed_at: Date | null; counts_required: number }[]> {
    return manager.query(
      `SELECT ap.course_id, ap.activity_id, ap.user_id, ap.completed_at, a.counts_required
         FROM activity_progress ap JOIN (${counting.sql}) a ON a.id = ap.activity_id
        WHERE ap.state = 'completed' AND (ap.course_id, ap.user_id) IN (?)`,
      [...counting.params, pairs],
    );
  }

  // ---- For other modules ----

  /** Learners (`user_id`) who completed the activity. */
  completedLearnerIds(activityId: string): Subquery {
    return { sql: `SELECT ap.user_id FROM activity_progress ap WHERE ap.activity_id = ? AND ap.state = 'completed'`, params: [activityId] };
  }

  /** The ids of the course's activities the learner completed. */
  async completedActivityIds(courseId: string, userId: string): Promise<Set<string>> {
    const rows: Array<{ activity_id: string }> = await this.manager().query(
      `SELECT activity_id FROM activity_progress WHERE course_id = ? AND user_id = ? AND state = 'completed'`,
      [courseId, userId],
    );
    return new Set(rows.map((r) => String(r.activity_id)));
  }
}
