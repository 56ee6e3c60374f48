import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { Course } from '../courses/course.entity';
import { isMadeUp } from '../courses/work-window';
import { ActivityProgress, ActivityState } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { DONE_COUNT_SLOTS } from './activity-done-count.entity';
import { beijingWeekStart } from './beijing-week';
import { isComplete } from './course-completion';
import { Transactions } from '../database/transactions';
import type { ActivityOutcome } from './activity-outcome';

export interface ActivityStateView {
  activityId: string;
  state: ActivityState;
  percent: number;
  completedAt: Date | null;
  /** Made up (补学): completed after the due date, inside the course's make-up window. */
  madeUp: boolean;
  changed: boolean;
}

export interface CourseSummaryView {
  courseId: string;
  userId: string;
  completed: boolean;
  completedAt: Date | null;
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  requiredCreditHours: number;
  sessionsAttended: number;
  requiredSessions: number;
  /** How many completions were made up (补学) after their due date. */
  madeUpCount: number;
  lastActivityAt: Date | null;
}

/**
 * The one progress engine. Every learning event ends here: it moves the learner's activity state
 * (not_started → in_progress → completed), writes the 学时 ledger and keeps the stored course summary.
 * The same event twice counts once: completion is a state (repeating it changes nothing) and ledger
 * entries have unique keys. Reads use the stored summary; nothing is recomputed from raw events on a read.
 */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CourseProgress) private readonly summaries: Repository<CourseProgress>,
    @InjectRepository(ActivityProgress) private readonly states: Repository<ActivityProgress>,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Applies one outcome in one transaction, holding the learner's rows so concurrent events serialize.
   * A deadlock between two events of one learner is retried: the second then sees the first's result.
   */
  apply(userId: string, activityId: string, outcome: ActivityOutcome, at: Date = new Date()): Promise<ActivityStateView> {
    return this.transactions.run((manager) => this.applyIn(manager, userId, activityId, outcome, at));
  }

  /**
   * The same inside the caller's transaction, so a record and the progress it earns are written together
   * (attendance for a whole list of learners: all or none).
   */
  async applyIn(manager: EntityManager, userId: string, activityId: string, outcome: ActivityOutcome, at: Date = new Date()): Promise<ActivityStateView> {
    const activity = await manager.findOne(Activity, { where: { id: activityId } });
    if (!activity) throw new NotFoundException({ message: '学习任务不存在', code: 'ACTIVITY_NOT_FOUND' });
    // Closed courses are frozen: their results are final (reports and certificates rely on them).
    const course = await manager.findOneOrFail(Course, { where: { id: activity.courseId }, select: { id: true, status: true } });
    if (course.status === 'closed') {
      throw new ConflictException({ message: '培训班已结业，学习记录不再变化', code: 'COURSE_CLOSED' });
    }
    // A shared lock: a withdrawal (which locks the enrolment first) cannot slip between this check and the
    // counters this event moves.
    // (LOCK IN SHARE MODE: MariaDB has no FOR SHARE, MySQL 8 still takes this spelling.)
    const enrolled: unknown[] = await manager.query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? AND status = 'active' LOCK IN SHARE MODE`,
      [activity.courseId, userId],
    );
    if (!enrolled.length) throw new ForbiddenException({ message: '你未报名该培训班', code: 'NOT_ENROLLED' });

    // ON DUPLICATE KEY takes the row's exclusive lock at once (INSERT IGNORE would take a shared one first,
    // and two events of one learner would then deadlock upgrading it).
    await manager.query(
      `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent) VALUES (?, ?, ?, 'not_started', 0)
       ON DUPLICATE KEY UPDATE id = id`,
      [activity.courseId, activity.id, userId],
    );
    const row: ActivityProgress = await manager
      .createQueryBuilder(ActivityProgress, 'ap')
      .setLock('pessimistic_write')
      .where('ap.activity_id = :activityId AND ap.user_id = :userId', { activityId, userId })
      .getOneOrFail();

    const before = { state: row.state, percent: row.percent };
    let delta: { done: number; hours: number; sessions: number; madeUp: number } | null = null;
    let counted: 0 | 1 | -1 = 0;
    let reopenedFrom: Date | null = null;
    const counts = activity.required && activity.archivedAt === null ? 1 : 0;
    const isSession = activity.type === 'session' ? 1 : 0;

    if (outcome.kind === 'progress') {
      if (row.state !== 'completed') {
        row.state = 'in_progress';
        row.percent = Math.max(row.percent, Math.max(0, Math.min(99, Math.floor(outcome.percent))));
      }
    } else if (outcome.kind === 'complete') {
      if (row.state !== 'completed') {
        row.state = 'completed';
        row.percent = 100;
        row.completedAt = at;
        row.madeUp = isMadeUp(activity, outcome.workedAt ?? at);
        const granted = await this.credit(manager, activity, userId, `c:${activity.id}:${userId}:${row.completionRound}`, activity.creditHours, 'completed');
        delta = { done: counts, hours: granted, sessions: isSession, madeUp: row.madeUp ? 1 : 0 };
        counted = 1;
      }
    } else if (row.state === 'completed') {
      reopenedFrom = row.completedAt;
      // Everything this learner holds for the activity: the completion and any later 学时 corrections.
      const [{ hours }] = await manager.query(
        `SELECT COALESCE(SUM(hours), 0) AS hours FROM credit_entries WHERE course_id = ? AND user_id = ? AND activity_id = ?`,
        [activity.courseId, userId, activity.id],
      );
      const reversed = await this.credit(manager, activity, userId, `r:${activity.id}:${userId}:${row.completionRound}`, -Number(hours), outcome.reason);
      row.state = 'in_progress';
      row.percent = 0;
      row.completedAt = null;
      row.completionRound += 1;
      delta = { done: -counts, hours: reversed, sessions: -isSession, madeUp: row.madeUp ? -1 : 0 };
      row.madeUp = false;
      counted = -1;
    }
    row.startedAt ??= at;
    row.lastEventAt = at;
    // An UPDATE, not save(): save() would re-read the row outside the lock, from the transaction's older
    // snapshot, miss a row another event just created, and try to insert it again.
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
    await this.updateSummary(manager, activity.courseId, userId, delta, at);
    // Last, so the counter row is the last lock the event takes (see ActivityDoneCount).
    if (counted) await this.countDone(manager, activity, userId, counted);
    const week = counted === 1 ? at : reopenedFrom;
    if (counted && counts && week) await this.countWeek(manager, activity.courseId, userId, week, counted);
    const changed = before.state !== row.state || before.percent !== row.percent;
    return { activityId: activity.id, state: row.state, percent: row.percent, completedAt: row.completedAt, madeUp: row.madeUp, changed };
  }

  /**
   * Adds ±1 to the activity's completion counter in the learner's unit and slot. The unit is the summary's
   * copy (already locked by this event), the one syncLearners moves the counters with.
   */
  private async countDone(manager: EntityManager, activity: Activity, userId: string, change: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
       SELECT cp.course_id, ?, COALESCE(cp.unit_id, 0), cp.user_id % ${DONE_COUNT_SLOTS}, ?
         FROM course_progress cp WHERE cp.course_id = ? AND cp.user_id = ?
       ON DUPLICATE KEY UPDATE done = done + ?`,
      [activity.id, change, activity.courseId, userId, change],
    );
  }

  /** Adds ±1 to the learner's unit and slot in the week of a required completion (RequiredDoneWeek). */
  private async countWeek(manager: EntityManager, courseId: string, userId: string, completedAt: Date, change: 1 | -1): Promise<void> {
    await manager.query(
      `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done)
       SELECT cp.course_id, COALESCE(cp.unit_id, 0), ?, cp.user_id % ${DONE_COUNT_SLOTS}, ?
         FROM course_progress cp WHERE cp.course_id = ? AND cp.user_id = ?
       ON DUPLICATE KEY UPDATE done = done + ?`,
      [beijingWeekStart(completedAt), change, courseId, userId, change],
    );
  }

  /** Appends a ledger entry unless its key exists; returns the hours actually added. */
  private async credit(manager: EntityManager, activity: Activity, userId: string, key: string, hours: number, reason: string): Promise<number> {
    const result = await manager.query(
      `INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [key, activity.courseId, userId, activity.id, hours, activity.type === 'session' ? 'offline' : 'online', `${reason}: ${activity.title}`.slice(0, 200)],
    );
    return result.affectedRows === 1 ? hours : 0;
  }

  private async updateSummary(
    manager: EntityManager,
    courseId: string,
    userId: string,
    delta: { done: number; hours: number; sessions: number; madeUp: number } | null,
    at: Date,
  ): Promise<void> {
    const course = await manager.findOneOrFail(Course, { where: { id: courseId } });
    const summary = await manager
      .createQueryBuilder(CourseProgress, 'cp')
      .setLock('pessimistic_write')
      .where('cp.course_id = :courseId AND cp.user_id = :userId', { courseId, userId })
      .getOne();
    if (!summary) return; // every enrollment creates its summary row; nothing to keep without one
    if (delta) {
      summary.requiredDone = Math.max(0, summary.requiredDone + delta.done);
      summary.creditHours = Math.round((summary.creditHours + delta.hours) * 10) / 10;
      summary.sessionsAttended = Math.max(0, summary.sessionsAttended + delta.sessions);
      summary.madeUpCount = Math.max(0, summary.madeUpCount + delta.madeUp);
    }
    summary.lastActivityAt = summary.lastActivityAt && summary.lastActivityAt > at ? summary.lastActivityAt : at;
    const complete = isComplete(summary, course);
    if (complete && !summary.completed) summary.completedAt = await this.lastCompletion(manager, courseId, userId, summary.requiredTotal);
    if (!complete) summary.completedAt = null;
    summary.completed = complete;
    await manager.update(
      CourseProgress,
      { courseId, userId },
      {
        requiredDone: summary.requiredDone,
        creditHours: summary.creditHours,
        sessionsAttended: summary.sessionsAttended,
        madeUpCount: summary.madeUpCount,
        lastActivityAt: summary.lastActivityAt,
        completed: summary.completed,
        completedAt: summary.completedAt,
      },
    );
  }

  /**
   * A course's completion date is the completion of its last required activity (of any activity when none
   * is required): the same definition recomputeCourse uses, so a rebuild reproduces it exactly.
   */
  private async lastCompletion(manager: EntityManager, courseId: string, userId: string, requiredTotal: number): Promise<Date | null> {
    const [row] = await manager.query(
      `SELECT MAX(ap.completed_at) AS at FROM activity_progress ap JOIN activities a ON a.id = ap.activity_id
        WHERE ap.course_id = ? AND ap.user_id = ? AND ap.state = 'completed'
          AND ((a.required = 1 AND a.archived_at IS NULL) OR ? = 0)`,
      [courseId, userId, requiredTotal],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /**
   * Bulk percent updates for activities in progress (the video flush): one statement per batch, never
   * moving a state, so completion stays the business of apply().
   */
  async recordPercents(manager: EntityManager, rows: { activityId: string; userId: string; percent: number }[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `UPDATE activity_progress ap
         JOIN (${rows.map(() => 'SELECT ? AS activity_id, ? AS user_id, ? AS percent').join(' UNION ALL ')}) v
           ON v.activity_id = ap.activity_id AND v.user_id = ap.user_id
          SET ap.percent = GREATEST(ap.percent, LEAST(99, v.percent)), ap.last_event_at = CURRENT_TIMESTAMP(3)
        WHERE ap.state = 'in_progress'`,
      rows.flatMap((r) => [r.activityId, r.userId, Math.max(0, Math.floor(r.percent))]),
    );
  }

  // ---- Reads ----

  /** The learner's summary; after closing, the frozen result. */
  async summary(courseId: string, userId: string): Promise<CourseSummaryView | null> {
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: courseId });
    if (!course) return null;
    const source = course.status === 'closed'
      ? await this.dataSource.getRepository(CourseResult).findOneBy({ courseId, userId })
      : await this.summaries.findOneBy({ courseId, userId });
    if (!source) return null;
    return {
      courseId,
      userId,
      completed: source.completed,
      completedAt: source.completedAt,
      requiredDone: source.requiredDone,
      requiredTotal: source.requiredTotal,
      creditHours: source.creditHours,
      requiredCreditHours: course.requiredCreditHours,
      sessionsAttended: source.sessionsAttended,
      requiredSessions: course.requiredSessions,
      madeUpCount: source.madeUpCount,
      lastActivityAt: 'lastActivityAt' in source ? source.lastActivityAt : null,
    };
  }

  /** The learner's state in each of the given activities (not_started when there is no row). */
  async statesFor(userId: string, activityIds: string[]): Promise<Map<string, ActivityProgress>> {
    if (!activityIds.length) return new Map();
    const rows = await this.states.find({ where: { userId, activityId: In(activityIds) } });
    return new Map(rows.map((r) => [r.activityId, r]));
  }

  async isCompleted(activityId: string, userId: string): Promise<boolean> {
    return this.states.exists({ where: { activityId, userId, state: 'completed' } });
  }

  async hasLearnerRecords(activityId: string): Promise<boolean> {
    return this.states.exists({ where: { activityId } });
  }
}
