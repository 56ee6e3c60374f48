import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { Course } from '../courses/course.entity';
import { Transactions } from '../database/transactions';
import type { AfterCommitEvents } from '../events/event-map';
import { OnEvent } from '../events/on-event.decorator';
import { DONE_COUNT_SLOTS } from './activity-done-count.entity';
import { WEEK_START_SQL } from './beijing-week';
import { COMPLETE_SQL, completeParams } from './course-completion';
import { ProgressMembershipService } from './progress-membership.service';

/**
 * Keeps a course's summaries, counters and 学时 ledger true to its plan and rules: set-based for the whole
 * course when an activity or the course's minimums change, on progress:rebuild, and once at closing.
 */
@Injectable()
export class ProgressPlanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly membership: ProgressMembershipService,
  ) {}

  /**
   * A course's minimums (学时, sessions) or period may have changed: every learner's completion follows. The
   * set-based recompute runs only when a stored completion disagrees with the course's rules now (a new period
   * changes none), so an edit of a large course costs one read.
   */
  @OnEvent('course.changed')
  async courseChanged({ courseId }: AfterCommitEvents['course.changed']): Promise<void> {
    await this.transactions.run(async (manager) => {
      const course = await manager.findOneBy(Course, { id: courseId });
      if (!course || course.status === 'closed') return;
      const [stale] = await manager.query(`SELECT 1 FROM course_progress WHERE course_id = ? AND completed <> (${COMPLETE_SQL}) LIMIT 1`, [
        courseId,
        ...completeParams(course),
      ]);
      if (stale) await this.recomputeCourse(courseId, manager);
    });
  }

  /**
   * An activity was added, edited, archived or deleted: its 学时 and what counts as required may have changed.
   * The ledger is settled, and the course's summaries recomputed when that booked something or the number of
   * required activities moved (a new title or text changes neither, and costs two reads).
   */
  @OnEvent('activity.changed')
  async activityChanged({ activityId, courseId }: AfterCommitEvents['activity.changed']): Promise<void> {
    await this.transactions.run(async (manager) => {
      const course = await manager.findOneBy(Course, { id: courseId });
      if (!course || course.status === 'draft' || course.status === 'closed') return;
      const booked = await this.settleCreditHours(manager, activityId);
      const total = await this.membership.requiredTotal(manager, courseId);
      const [moved] = await manager.query(`SELECT 1 FROM course_progress WHERE course_id = ? AND required_total <> ? LIMIT 1`, [courseId, total]);
      if (booked || moved) await this.recomputeCourse(courseId, manager);
    });
  }

  /**
   * Recomputes every learner's summary of one course from the activity states and the 学时 ledger in two
   * set-based statements. Used when the plan changes (an activity added, archived or made elective) and by
   * progress:rebuild; never on a read.
   */
  async recomputeCourse(courseId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const course = await manager.findOneOrFail(Course, { where: { id: courseId } });
    const total = await this.membership.requiredTotal(manager, courseId);
    await manager.query(
      `UPDATE course_progress cp
         LEFT JOIN (
           SELECT ap.user_id,
                  SUM(ap.state = 'completed' AND a.required = 1 AND a.archived_at IS NULL) AS done,
                  SUM(ap.state = 'completed' AND a.type = 'session') AS sessions,
                  SUM(ap.state = 'completed' AND ap.made_up = 1) AS made_up,
                  MAX(CASE WHEN ap.state = 'completed' AND ((a.required = 1 AND a.archived_at IS NULL) OR ? = 0)
                           THEN ap.completed_at END) AS last_completion,
                  MAX(ap.last_event_at) AS last_event
             FROM activity_progress ap JOIN activities a ON a.id = ap.activity_id
            WHERE ap.course_id = ? GROUP BY ap.user_id) s ON s.user_id = cp.user_id
         LEFT JOIN (SELECT user_id, SUM(hours) AS hours FROM credit_entries WHERE course_id = ? GROUP BY user_id) h
           ON h.user_id = cp.user_id
          SET cp.required_done = COALESCE(s.done, 0),
              cp.sessions_attended = COALESCE(s.sessions, 0),
              cp.made_up_count = COALESCE(s.made_up, 0),
              cp.credit_hours = COALESCE(h.hours, 0),
              cp.required_total = ?,
              cp.last_activity_at = s.last_event,
              cp.completed_at = s.last_completion
        WHERE cp.course_id = ?`,
      [total, courseId, courseId, total, courseId],
    );
    await manager.query(
      `UPDATE course_progress
          SET completed = (${COMPLETE_SQL}),
              completed_at = CASE WHEN (${COMPLETE_SQL}) THEN completed_at ELSE NULL END
        WHERE course_id = ?`,
      [...completeParams(course), ...completeParams(course), courseId],
    );
    // Which activities count as required may have changed: the weekly counts follow.
    await this.recountWeeks(manager, courseId);
  }

  /**
   * The activity's 学时 changed: learners who completed it get the difference between its 学时 now and what
   * the ledger holds for their completion, as a correction keyed by both (the same change is never booked
   * twice, and settling again finds nothing to do). The caller recomputes the course afterwards. Returns how
   * many corrections were booked.
   */
  async settleCreditHours(manager: EntityManager, activityId: string): Promise<number> {
    const activity = await manager.findOneBy(Activity, { id: activityId });
    if (!activity) return 0;
    const result = await manager.query(
      `INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason)
       SELECT CONCAT('a:', ap.activity_id, ':', ap.user_id, ':', ap.completion_round, ':', h.held + 0e0, '>', ?), ap.course_id, ap.user_id, ap.activity_id,
              ? - h.held, ?, LEFT(CONCAT('学时调整 ', h.held + 0e0, ' → ', ?, ': ', ?), 200)
         FROM activity_progress ap
         JOIN (SELECT user_id, SUM(hours) AS held FROM credit_entries WHERE activity_id = ? GROUP BY user_id) h ON h.user_id = ap.user_id
        WHERE ap.activity_id = ? AND ap.state = 'completed' AND h.held <> ?`,
      [
        activity.creditHours,
        activity.creditHours,
        activity.type === 'session' ? 'offline' : 'online',
        activity.creditHours,
        activity.title,
        activity.id,
        activity.id,
        activity.creditHours,
      ],
    );
    return result.affectedRows as number;
  }

  /** Rebuilds one course's summaries from the activity states and the ledger; returns how many learners. */
  async rebuildCourse(courseId: string): Promise<number> {
    return this.transactions.run(async (manager) => {
      await this.membership.syncMembership(courseId, manager);
      await this.recomputeCourse(courseId, manager);
      await this.recountDone(manager, courseId);
      const [row] = await manager.query(`SELECT COUNT(*) AS n FROM course_progress WHERE course_id = ?`, [courseId]);
      return Number(row.n);
    });
  }

  /** Recomputes a course's weekly required completions from the activity states (active learners, their summary's unit). */
  private async recountWeeks(manager: EntityManager, courseId: string): Promise<void> {
    await manager.query(`DELETE FROM required_done_weeks WHERE course_id = ?`, [courseId]);
    await manager.query(
      `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done)
       SELECT ap.course_id, COALESCE(cp.unit_id, 0), ${WEEK_START_SQL('ap.completed_at')}, ap.user_id % ${DONE_COUNT_SLOTS}, COUNT(*)
         FROM activity_progress ap
         JOIN activities a ON a.id = ap.activity_id AND a.required = 1 AND a.archived_at IS NULL
         JOIN course_progress cp ON cp.course_id = ap.course_id AND cp.user_id = ap.user_id AND cp.active = 1
        WHERE ap.course_id = ? AND ap.state = 'completed' AND ap.completed_at IS NOT NULL
        GROUP BY 1, 2, 3, 4`,
      [courseId],
    );
  }

  /**
   * Recomputes a course's completion counters from the activity states (progress:rebuild): the completions
   * of active learners, by the unit their summary holds, as the engine and syncLearners keep them.
   */
  async recountDone(manager: EntityManager, courseId: string): Promise<void> {
    await manager.query(`DELETE FROM activity_done_counts WHERE course_id = ?`, [courseId]);
    await manager.query(
      `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(cp.unit_id, 0), ap.user_id % ${DONE_COUNT_SLOTS}, COUNT(*)
         FROM activity_progress ap
         JOIN course_progress cp ON cp.course_id = ap.course_id AND cp.user_id = ap.user_id AND cp.active = 1
        WHERE ap.course_id = ? AND ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(cp.unit_id, 0), ap.user_id % ${DONE_COUNT_SLOTS}`,
      [courseId],
    );
  }

  /** Freezes every learner's summary as the course's final results (reports and certificates use them). */
  async freeze(manager: EntityManager, courseId: string): Promise<number> {
    const result = await manager.query(
      `INSERT IGNORE INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, made_up_count, completed, completed_at)
       SELECT cp.course_id, cp.user_id, cp.required_done, cp.required_total, cp.credit_hours, cp.sessions_attended, cp.made_up_count, cp.completed, cp.completed_at
         FROM course_progress cp JOIN enrollments e ON e.course_id = cp.course_id AND e.user_id = cp.user_id AND e.status = 'active'
        WHERE cp.course_id = ?`,
      [courseId],
    );
    // Once, at closing: the exact per-activity counts of the learners whose results were frozen.
    await manager.query(
      `INSERT IGNORE INTO activity_done_results (course_id, activity_id, unit_id, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0), COUNT(*)
         FROM activity_progress ap
         JOIN enrollments e ON e.course_id = ap.course_id AND e.user_id = ap.user_id AND e.status = 'active'
         JOIN users u ON u.id = ap.user_id
        WHERE ap.course_id = ? AND ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0)`,
      [courseId],
    );
    return result.affectedRows as number;
  }
}
