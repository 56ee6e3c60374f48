import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import type { DiscussionSettings, ReadingSettings, VideoSettings } from '../access/activity-settings';
import { Course } from '../courses/course.entity';
import { isMadeUp } from '../access/work-window';
import { ActivityProgress, ActivityState } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { DONE_COUNT_SLOTS } from './activity-done-count.entity';
import { retryingTransaction } from '../database/lock-retry';

/** What a learning feature tells the engine about one learner and one activity. */
export type Outcome =
  | { kind: 'progress'; percent: number }
  /** `workedAt`: when the learner did the work, if not the event's time (a reflection approved later): decides 补学. */
  | { kind: 'complete'; workedAt?: Date }
  /** A completion withdrawn (attendance corrected, approval revoked): its 学时 are reversed in the ledger. */
  | { kind: 'reopen'; reason: string };

function attendanceOutcome(status: 'present' | 'absent' | 'excused'): Outcome {
  return status === 'present' ? { kind: 'complete' } : { kind: 'reopen', reason: `attendance ${status}` };
}

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
  ) {}

  // ---- Event entry points, one per completion rule (PRODUCT.md) ----

  /** Video: done when distinct watched seconds reach completionPercent of the length. */
  videoWatched(userId: string, activity: Activity, watchedSeconds: number, at?: Date) {
    const settings = activity.settings as VideoSettings;
    const percent = Math.min(100, Math.floor((watchedSeconds / settings.durationSeconds) * 100));
    const done = watchedSeconds >= (settings.durationSeconds * settings.completionPercent) / 100;
    return this.apply(userId, activity.id, done ? { kind: 'complete' } : { kind: 'progress', percent }, at);
  }

  /**
   * Reading: a reflection of the required length; approval too when the reading asks for it. `submittedAt`:
   * when the learner handed it in, so an approval after the due date does not make an in-time reflection 补学.
   */
  reflectionSubmitted(userId: string, activity: Activity, approved: boolean, at?: Date, submittedAt?: Date) {
    const settings = activity.settings as ReadingSettings;
    const done = approved || !settings.reflectionNeedsApproval;
    return this.apply(userId, activity.id, done ? { kind: 'complete', workedAt: submittedAt } : { kind: 'progress', percent: 50 }, at);
  }

  /** Quiz: done when an attempt passes. */
  quizAttempted(userId: string, activity: Activity, passed: boolean, at?: Date) {
    return this.apply(userId, activity.id, passed ? { kind: 'complete' } : { kind: 'progress', percent: 0 }, at);
  }

  /** Discussion: done when the learner has enough qualifying posts and replies to others. */
  discussionActivity(userId: string, activity: Activity, counts: { posts: number; replies: number }, at?: Date) {
    const s = activity.settings as DiscussionSettings;
    const needed = s.minPosts + s.minReplies;
    const have = Math.min(counts.posts, s.minPosts) + Math.min(counts.replies, s.minReplies);
    const done = counts.posts >= s.minPosts && counts.replies >= s.minReplies;
    return this.apply(userId, activity.id, done ? { kind: 'complete' } : { kind: 'progress', percent: needed ? Math.floor((have / needed) * 100) : 0 }, at);
  }

  /** In-person session: present completes it (offline 学时); absent or excused after present reverses it. */
  attendanceRecorded(userId: string, activity: Activity, status: 'present' | 'absent' | 'excused', at?: Date) {
    return this.apply(userId, activity.id, attendanceOutcome(status), at);
  }

  /**
   * The same, inside the caller's transaction (see `transaction`), so the attendance record and the progress
   * it earns are written together, or for a whole list of learners, all or none.
   */
  attendanceRecordedIn(manager: EntityManager, userId: string, activity: Activity, status: 'present' | 'absent' | 'excused', at: Date = new Date()) {
    return this.applyIn(manager, userId, activity.id, attendanceOutcome(status), at);
  }

  /**
   * Applies one outcome in one transaction, holding the learner's rows so concurrent events serialize.
   * A deadlock between two events of one learner is retried: the second then sees the first's result.
   */
  apply(userId: string, activityId: string, outcome: Outcome, at: Date = new Date()): Promise<ActivityStateView> {
    return this.transaction((manager) => this.applyIn(manager, userId, activityId, outcome, at));
  }

  /**
   * Runs `work` in one transaction, and from the start again after a deadlock or a lock wait timeout (up to
   * five times): for callers that write their own rows together with engine events (`…In` methods).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return retryingTransaction(this.dataSource, work);
  }

  private async applyIn(manager: EntityManager, userId: string, activityId: string, outcome: Outcome, at: Date): Promise<ActivityStateView> {
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

  // ---- Plan changes, enrollment, rebuild, closing ----

  /** Creates the summary rows of newly enrolled learners (set-based, for thousands at once). */
  async initLearners(manager: EntityManager, courseId: string, userIds: string[] | 'enrolled'): Promise<void> {
    const total = await this.requiredTotal(manager, courseId);
    if (userIds === 'enrolled') {
      await manager.query(
        `INSERT IGNORE INTO course_progress (course_id, user_id, required_total, active, unit_id, branch_id)
         SELECT e.course_id, e.user_id, ?, e.status = 'active', u.unit_id, u.branch_id
           FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.course_id = ?`,
        [total, courseId],
      );
      return;
    }
    for (let i = 0; i < userIds.length; i += 1000) {
      const chunk = userIds.slice(i, i + 1000);
      await manager.query(
        `INSERT IGNORE INTO course_progress (course_id, user_id, required_total, active, unit_id, branch_id)
         SELECT ?, u.id, ?, 1, u.unit_id, u.branch_id FROM users u WHERE u.id IN (?)`,
        [courseId, total, chunk],
      );
    }
  }

  /**
   * For the reports.refresh job: brings one course's summary copies of enrolment status, unit and branch
   * up to date after changes made outside the app (see syncLearners). Finds the learners whose copies differ
   * with a plain read, then locks and syncs only them, so a run with nothing to do locks nothing. Returns
   * how many summaries changed.
   */
  async syncMembership(courseId: string, manager?: EntityManager): Promise<number> {
    const run = async (m: EntityManager) => {
      await this.initLearners(m, courseId, 'enrolled');
      const stale: { user_id: string }[] = await m.query(
        `SELECT cp.user_id FROM course_progress cp
           JOIN enrollments e ON e.course_id = cp.course_id AND e.user_id = cp.user_id
           JOIN users u ON u.id = cp.user_id
          WHERE cp.course_id = ?
            AND (cp.active <> (e.status = 'active') OR NOT (cp.unit_id <=> u.unit_id) OR NOT (cp.branch_id <=> u.branch_id))`,
        [courseId],
      );
      return stale.length ? this.syncLearners(m, stale.map((r) => String(r.user_id)), courseId) : 0;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /**
   * Inside the transaction that withdrew, brought back or moved these learners: their summaries' copies of
   * enrolment status, unit and branch (in one course, or in all of theirs) follow the change, and so do
   * their completions in the per-activity counters: a withdrawal takes them out, a return puts them back,
   * a move to another unit moves them. The counters are kept by the summary's copies, so this is the one
   * place both change. Locks the summaries first, as the engine's events do. Returns how many changed.
   */
  async syncLearners(manager: EntityManager, userIds: string[], courseId?: string): Promise<number> {
    if (!userIds.length) return 0;
    const course = courseId ? 'AND cp.course_id = ?' : '';
    const params = courseId ? [userIds, courseId] : [userIds];
    const held: { course_id: string; user_id: string; active: number; unit_id: string | null; branch_id: string | null }[] = await manager.query(
      `SELECT cp.course_id, cp.user_id, cp.active, cp.unit_id, cp.branch_id FROM course_progress cp
        WHERE cp.user_id IN (?) ${course} ORDER BY cp.course_id, cp.user_id FOR UPDATE`,
      params,
    );
    if (!held.length) return 0;
    const now: { course_id: string; user_id: string; active: number; unit_id: string | null; branch_id: string | null }[] = await manager.query(
      `SELECT e.course_id, e.user_id, e.status = 'active' AS active, u.unit_id, u.branch_id
         FROM course_progress cp
         JOIN enrollments e ON e.course_id = cp.course_id AND e.user_id = cp.user_id
         JOIN users u ON u.id = cp.user_id
        WHERE cp.user_id IN (?) ${course}`,
      params,
    );
    const key = (r: { course_id: string; user_id: string }) => `${r.course_id}:${r.user_id}`;
    const current = new Map(now.map((r) => [key(r), r]));
    const same = (a: string | null, b: string | null) => (a === null ? null : String(a)) === (b === null ? null : String(b));
    const changes = held.flatMap((was) => {
      const is = current.get(key(was));
      if (!is || (Boolean(was.active) === Boolean(is.active) && same(was.unit_id, is.unit_id) && same(was.branch_id, is.branch_id))) return [];
      return [{ was, is }];
    });
    if (!changes.length) return 0;

    // Counter moves: -1 where the completions were counted, +1 where they count now.
    const counted = changes.filter(({ was, is }) => Boolean(was.active) !== Boolean(is.active) || !same(was.unit_id, is.unit_id));
    if (counted.length) {
      const done: { course_id: string; activity_id: string; user_id: string; completed_at: Date | null; counts_required: number }[] = await manager.query(
        `SELECT ap.course_id, ap.activity_id, ap.user_id, ap.completed_at, (a.required = 1 AND a.archived_at IS NULL) AS counts_required
           FROM activity_progress ap JOIN activities a ON a.id = ap.activity_id
          WHERE ap.state = 'completed' AND (ap.course_id, ap.user_id) IN (?)`,
        [counted.map(({ was }) => [was.course_id, was.user_id])],
      );
      const byLearner = new Map(counted.map((c) => [key(c.was), c]));
      const deltas = new Map<string, { courseId: string; activityId: string; unitId: string; slot: number; change: number }>();
      const add = (courseId: string, activityId: string, unitId: string | null, userId: string, change: number) => {
        const unit = unitId === null ? '0' : String(unitId);
        const slot = Number(BigInt(userId) % BigInt(DONE_COUNT_SLOTS));
        const k = `${courseId}:${activityId}:${unit}:${slot}`;
        const entry = deltas.get(k) ?? { courseId: String(courseId), activityId: String(activityId), unitId: unit, slot, change: 0 };
        entry.change += change;
        deltas.set(k, entry);
      };
      const weeks = new Map<string, { courseId: string; unitId: string; week: string; slot: number; change: number }>();
      const addWeek = (courseId: string, unitId: string | null, completedAt: Date, userId: string, change: number) => {
        const unit = unitId === null ? '0' : String(unitId);
        const slot = Number(BigInt(userId) % BigInt(DONE_COUNT_SLOTS));
        const week = beijingWeekStart(new Date(completedAt));
        const k = `${courseId}:${unit}:${week}:${slot}`;
        const entry = weeks.get(k) ?? { courseId: String(courseId), unitId: unit, week, slot, change: 0 };
        entry.change += change;
        weeks.set(k, entry);
      };
      for (const row of done) {
        const { was, is } = byLearner.get(key(row))!;
        if (was.active) add(row.course_id, row.activity_id, was.unit_id, String(row.user_id), -1);
        if (is.active) add(row.course_id, row.activity_id, is.unit_id, String(row.user_id), 1);
        if (!Number(row.counts_required) || !row.completed_at) continue;
        if (was.active) addWeek(row.course_id, was.unit_id, row.completed_at, String(row.user_id), -1);
        if (is.active) addWeek(row.course_id, is.unit_id, row.completed_at, String(row.user_id), 1);
      }
      // In key order, as every writer of the counters takes them.
      const rows = [...deltas.values()].filter((d) => d.change !== 0).sort((a, b) =>
        a.courseId === b.courseId ? (a.activityId === b.activityId ? (a.unitId === b.unitId ? a.slot - b.slot : a.unitId < b.unitId ? -1 : 1) : a.activityId < b.activityId ? -1 : 1) : a.courseId < b.courseId ? -1 : 1,
      );
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await manager.query(
          `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE done = done + VALUES(done)`,
          chunk.flatMap((d) => [d.courseId, d.activityId, d.unitId, d.slot, d.change]),
        );
      }
      const weekRows = [...weeks.values()].filter((d) => d.change !== 0).sort((a, b) =>
        a.courseId === b.courseId ? (a.unitId === b.unitId ? (a.week === b.week ? a.slot - b.slot : a.week < b.week ? -1 : 1) : a.unitId < b.unitId ? -1 : 1) : a.courseId < b.courseId ? -1 : 1,
      );
      for (let i = 0; i < weekRows.length; i += 500) {
        const chunk = weekRows.slice(i, i + 500);
        await manager.query(
          `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE done = done + VALUES(done)`,
          chunk.flatMap((d) => [d.courseId, d.unitId, d.week, d.slot, d.change]),
        );
      }
    }
    for (const { was, is } of changes) {
      await manager.query(`UPDATE course_progress SET active = ?, unit_id = ?, branch_id = ? WHERE course_id = ? AND user_id = ?`, [
        Boolean(is.active),
        is.unit_id,
        is.branch_id,
        was.course_id,
        was.user_id,
      ]);
    }
    return changes.length;
  }

  /**
   * Recomputes every learner's summary of one course from the activity states and the 学时 ledger in two
   * set-based statements. Used when the plan changes (an activity added, archived or made elective) and by
   * progress:rebuild; never on a read.
   */
  async recomputeCourse(courseId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const course = await manager.findOneOrFail(Course, { where: { id: courseId } });
    const total = await this.requiredTotal(manager, courseId);
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
   * An activity's 学时 changed: learners who already completed it get the difference as a ledger correction,
   * keyed so the same change is never booked twice. The caller recomputes the course afterwards.
   */
  async creditHoursChanged(manager: EntityManager, activity: Activity, previousHours: number): Promise<void> {
    await manager.query(
      `INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason)
       SELECT CONCAT('a:', ap.activity_id, ':', ap.user_id, ':', ap.completion_round, ':', ?), ap.course_id, ap.user_id, ap.activity_id, ?, ?, ?
         FROM activity_progress ap WHERE ap.activity_id = ? AND ap.state = 'completed'`,
      [
        Date.now(),
        Math.round((activity.creditHours - previousHours) * 10) / 10,
        activity.type === 'session' ? 'offline' : 'online',
        `学时调整 ${previousHours} → ${activity.creditHours}: ${activity.title}`.slice(0, 200),
        activity.id,
      ],
    );
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

  /** Rebuilds one course's summaries from the activity states and the ledger; returns how many learners. */
  async rebuildCourse(courseId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await this.syncMembership(courseId, manager);
      await this.recomputeCourse(courseId, manager);
      await this.recountDone(manager, courseId);
      const [row] = await manager.query(`SELECT COUNT(*) AS n FROM course_progress WHERE course_id = ?`, [courseId]);
      return Number(row.n);
    });
  }

  private async requiredTotal(manager: EntityManager, courseId: string): Promise<number> {
    const [row] = await manager.query(
      `SELECT COUNT(*) AS n FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`,
      [courseId],
    );
    return Number(row.n);
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

  async hasLearnerRecords(activityId: string): Promise<boolean> {
    return this.states.exists({ where: { activityId } });
  }
}

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

// The same rule as isComplete, for set-based updates; its parameters come from completeParams().
const COMPLETE_SQL = `(required_total > 0 OR ? > 0) AND required_done >= required_total AND credit_hours >= ? AND sessions_attended >= ?`;
const completeParams = (course: Course) => [course.requiredCreditHours, course.requiredCreditHours, course.requiredSessions];

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The Monday (YYYY-MM-DD, Beijing date) of the Beijing week holding the instant. */
export function beijingWeekStart(at: Date): string {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const monday = new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * 24 * 3600 * 1000);
  return monday.toISOString().slice(0, 10);
}

/** The same Monday in SQL, for a UTC datetime column. */
const WEEK_START_SQL = (column: string) => `DATE(${column} + INTERVAL 8 HOUR) - INTERVAL WEEKDAY(${column} + INTERVAL 8 HOUR) DAY`;
