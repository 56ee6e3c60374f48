import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { DONE_COUNT_SLOTS } from './activity-done-count.entity';
import { WEEK_START_SQL } from './beijing-week';
import { courseRows } from './course-rows.repository';

/**
 * The completion counters: activity_done_counts (per activity, unit and slot), required_done_weeks (required
 * completions per unit, week and slot) and activity_done_results (the exact counts frozen at closing).
 * Every writer takes the counter rows in key order, and last in its transaction (see ActivityDoneCount).
 */
@Injectable()
export class DoneCountersRepository {
  /** Adds ±1 to the activity's counter in the unit and slot the learner's summary holds. */
  async addDone(courseId: string, activityId: string, userId: string, change: 1 | -1, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
       SELECT cp.course_id, ?, COALESCE(cp.unit_id, 0), cp.user_id % ${DONE_COUNT_SLOTS}, ?
         FROM course_progress cp WHERE cp.course_id = ? AND cp.user_id = ?
       ON DUPLICATE KEY UPDATE done = done + ?`,
      [activityId, change, courseId, userId, change],
    );
  }

  /** Adds ±1 to the learner's unit and slot in the week `weekStart` (RequiredDoneWeek). */
  async addWeek(courseId: string, userId: string, weekStart: string, change: 1 | -1, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done)
       SELECT cp.course_id, COALESCE(cp.unit_id, 0), ?, cp.user_id % ${DONE_COUNT_SLOTS}, ?
         FROM course_progress cp WHERE cp.course_id = ? AND cp.user_id = ?
       ON DUPLICATE KEY UPDATE done = done + ?`,
      [weekStart, change, courseId, userId, change],
    );
  }

  /** Adds these changes, in the order given (key order), 500 rows a statement. */
  async addDoneChanges(rows: { courseId: string; activityId: string; unitId: string; slot: number; change: number }[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await manager.query(
        `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE done = done + VALUES(done)`,
        chunk.flatMap((d) => [d.courseId, d.activityId, d.unitId, d.slot, d.change]),
      );
    }
  }

  /** Adds these weekly changes, in the order given (key order), 500 rows a statement. */
  async addWeekChanges(rows: { courseId: string; unitId: string; week: string; slot: number; change: number }[], manager: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await manager.query(
        `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE done = done + VALUES(done)`,
        chunk.flatMap((d) => [d.courseId, d.unitId, d.week, d.slot, d.change]),
      );
    }
  }

  /**
   * Recomputes a course's weekly required completions from the activity states (active learners, their
   * summary's unit); `requiredIds` selects the ids of the activities that count as required.
   */
  async recountWeeks(courseId: string, requiredIds: Subquery, manager: EntityManager): Promise<void> {
    const states = await courseRows(manager, 'activity_progress', 'ap', courseId);
    await manager.query(`DELETE FROM required_done_weeks WHERE course_id = ?`, [courseId]);
    // The states first (see courseRows), each joined to the plan and its summary by key.
    await manager.query(
      `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done)
       SELECT ap.course_id, COALESCE(cp.unit_id, 0), ${WEEK_START_SQL('ap.completed_at')}, ap.user_id % ${DONE_COUNT_SLOTS}, COUNT(*)
         FROM ${states.from}
         STRAIGHT_JOIN (${requiredIds.sql}) r ON r.id = ap.activity_id
         STRAIGHT_JOIN course_progress cp ON cp.course_id = ap.course_id AND cp.user_id = ap.user_id AND cp.active = 1
        WHERE ${states.where} AND ap.state = 'completed' AND ap.completed_at IS NOT NULL
        GROUP BY 1, 2, 3, 4`,
      [...requiredIds.params, ...states.params],
    );
  }

  /** Recomputes a course's completion counters from the activity states: active learners, by their summary's unit. */
  async recountDone(courseId: string, manager: EntityManager): Promise<void> {
    const states = await courseRows(manager, 'activity_progress', 'ap', courseId);
    await manager.query(`DELETE FROM activity_done_counts WHERE course_id = ?`, [courseId]);
    await manager.query(
      `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(cp.unit_id, 0), ap.user_id % ${DONE_COUNT_SLOTS}, COUNT(*)
         FROM ${states.from}
         STRAIGHT_JOIN course_progress cp ON cp.course_id = ap.course_id AND cp.user_id = ap.user_id AND cp.active = 1
        WHERE ${states.where} AND ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(cp.unit_id, 0), ap.user_id % ${DONE_COUNT_SLOTS}`,
      states.params,
    );
  }

  /**
   * Once, at closing: the exact per-activity counts of the learners whose results were frozen, by the unit
   * `placements` gives them (EnrollmentsRepository.placements).
   */
  async freezeResults(courseId: string, placements: Subquery, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT IGNORE INTO activity_done_results (course_id, activity_id, unit_id, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(m.unit_id, 0), COUNT(*)
         FROM activity_progress ap
         JOIN (${placements.sql}) m ON m.course_id = ap.course_id AND m.user_id = ap.user_id AND m.active = 1
        WHERE ap.course_id = ? AND ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(m.unit_id, 0)`,
      [...placements.params, courseId],
    );
  }
}
