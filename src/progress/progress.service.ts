import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { ActivitiesRepository } from '../courses/activities.repository';
import type { Activity } from '../courses/activity.entity';
import type { Course } from '../courses/course.entity';
import { CoursesRepository } from '../courses/courses.repository';
import { isMadeUp } from '../access/work-window';
import { ActivityProgress, ActivityState } from './activity-progress.entity';
import { ActivityProgressRepository } from './activity-progress.repository';
import { CourseProgressRepository } from './course-progress.repository';
import { Contribution, CourseFiguresRepository } from './course-figures.repository';
import { CreditEntriesRepository } from './credit-entries.repository';
import { DoneCountersRepository } from './done-counters.repository';
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
    private readonly transactions: Transactions,
    private readonly enrollments: EnrollmentsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly courses: CoursesRepository,
    private readonly states: ActivityProgressRepository,
    private readonly summaries: CourseProgressRepository,
    private readonly credits: CreditEntriesRepository,
    private readonly counters: DoneCountersRepository,
    private readonly figures: CourseFiguresRepository,
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
    const activity = await this.activities.findById(activityId, manager);
    if (!activity) throw new NotFoundException({ message: '学习任务不存在', code: 'ACTIVITY_NOT_FOUND' });
    // Closed courses are frozen: their results are final (reports and certificates rely on them).
    const course = await this.courses.findById(activity.courseId, manager);
    if (course?.status === 'closed') {
      throw new ConflictException({ message: '培训班已结业，学习记录不再变化', code: 'COURSE_CLOSED' });
    }
    // A shared lock: a withdrawal cannot slip between this check and the counters this event moves.
    if (!(await this.enrollments.holdsActiveEnrolment(activity.courseId, userId, manager))) {
      throw new ForbiddenException({ message: '你未报名该培训班', code: 'NOT_ENROLLED' });
    }

    const row = await this.states.lockForLearner(activity.courseId, activity.id, userId, manager);

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
      const hours = await this.credits.sumHours(activity.courseId, userId, activity.id, manager);
      const reversed = await this.credit(manager, activity, userId, `r:${activity.id}:${userId}:${row.completionRound}`, -hours, outcome.reason);
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
    await this.states.update(row, manager);
    const figureChange = await this.updateSummary(manager, course, activity.courseId, userId, delta, at);
    // Last, so the counter rows are the last locks the event takes (see ActivityDoneCount).
    if (counted) await this.counters.addDone(activity.courseId, activity.id, userId, counted, manager);
    const week = counted === 1 ? at : reopenedFrom;
    if (counted && counts && week) await this.counters.addWeek(activity.courseId, userId, beijingWeekStart(week), counted, manager);
    if (figureChange) await this.figures.applyChange(figureChange.before, figureChange.after, manager);
    const changed = before.state !== row.state || before.percent !== row.percent;
    return { activityId: activity.id, state: row.state, percent: row.percent, completedAt: row.completedAt, madeUp: row.madeUp, changed };
  }

  /** Appends a ledger entry unless its key exists; returns the hours actually added. */
  private async credit(manager: EntityManager, activity: Activity, userId: string, key: string, hours: number, reason: string): Promise<number> {
    const source = activity.type === 'session' ? 'offline' : 'online';
    const added = await this.credits.insertOnce(
      { key, courseId: activity.courseId, userId, activityId: activity.id, hours, source, reason: `${reason}: ${activity.title}`.slice(0, 200) },
      manager,
    );
    return added ? hours : 0;
  }

  private async updateSummary(
    manager: EntityManager,
    course: Course | null,
    courseId: string,
    userId: string,
    delta: { done: number; hours: number; sessions: number; madeUp: number } | null,
    at: Date,
  ): Promise<{ before: Contribution[]; after: Contribution[] } | null> {
    const summary = await this.summaries.lockSummary(courseId, userId, manager);
    if (!course || !summary) return null; // every enrollment creates its summary row; nothing to keep without one
    // The report's kept figures move only with what they count: the figures or the completion.
    const moves = delta !== null || isComplete(summary, course) !== summary.completed;
    const before = moves ? await this.figures.contributionsOf(courseId, [userId], manager) : [];
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
    // A required activity completed or reopened: the first due date the learner misses may have moved (a plain
    // read of the learner's states, this change included; no locks on the plan).
    if (delta?.done) summary.firstMissingDueAt = await this.summaries.firstMissingDueOf(userId, this.activities.requiredDueDates(courseId), manager);
    await this.summaries.updateSummary(summary, manager);
    return moves ? { before, after: await this.figures.contributionsOf(courseId, [userId], manager) } : null;
  }

  /**
   * A course's completion date is the completion of its last required activity (of any activity when none
   * is required): the same definition recomputeCourse uses, so a rebuild reproduces it exactly.
   */
  private lastCompletion(manager: EntityManager, courseId: string, userId: string, requiredTotal: number): Promise<Date | null> {
    return this.states.lastCompletedAt(courseId, userId, requiredTotal === 0 ? null : this.activities.requiredIds(courseId), manager);
  }

  /**
   * Bulk percent updates for activities in progress (the video flush): one statement per batch, never
   * moving a state, so completion stays the business of apply().
   */
  async recordPercents(manager: EntityManager, rows: { activityId: string; userId: string; percent: number }[]): Promise<void> {
    if (!rows.length) return;
    await this.states.raisePercents(rows, manager);
  }

  // ---- Reads ----

  /** The learner's summary; after closing, the frozen result. */
  async summary(courseId: string, userId: string): Promise<CourseSummaryView | null> {
    const course = await this.courses.findById(courseId);
    if (!course) return null;
    const source = course.status === 'closed'
      ? await this.summaries.findResult(courseId, userId)
      : await this.summaries.findSummary(courseId, userId);
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
    const rows = await this.states.findByLearner(userId, activityIds);
    return new Map(rows.map((r) => [r.activityId, r]));
  }

  async isCompleted(activityId: string, userId: string): Promise<boolean> {
    return this.states.existsCompleted(activityId, userId);
  }

  async hasLearnerRecords(activityId: string): Promise<boolean> {
    return this.states.existsForActivity(activityId);
  }
}
