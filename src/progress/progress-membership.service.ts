import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UsersRepository } from '../users/users.repository';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { ActivitiesRepository } from '../courses/activities.repository';
import { Transactions } from '../database/transactions';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { DONE_COUNT_SLOTS } from './activity-done-count.entity';
import { ActivityProgressRepository } from './activity-progress.repository';
import { beijingWeekStart } from './beijing-week';
import { CourseProgressRepository } from './course-progress.repository';
import { Contribution, CourseFiguresRepository } from './course-figures.repository';
import { DoneCountersRepository } from './done-counters.repository';

/** Learners' parts in the report's kept figures before and after a change (CourseFiguresRepository). */
type FigureChange = { before: Contribution[]; after: Contribution[] };

/**
 * Who a course's summaries are about: a summary row per enrolled learner, with copies of their enrolment
 * status, unit and branch (which the reports filter by without joins) and their completions in the
 * per-activity and weekly counters. Enrolment and the org tell it of changes inside their own transaction,
 * so the copies never disagree with their source and the reports show a move or a withdrawal at once.
 */
@Injectable()
export class ProgressMembershipService {
  constructor(
    private readonly transactions: Transactions,
    private readonly people: UsersRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly states: ActivityProgressRepository,
    private readonly summaries: CourseProgressRepository,
    private readonly counters: DoneCountersRepository,
    private readonly figures: CourseFiguresRepository,
  ) {}

  /** Learners enrolled, withdrawn or brought back: their summaries exist, and their copies and counters follow. */
  @OnEventInTransaction('enrollment.changed')
  async enrollmentChanged({ courseId, userIds }: InTransactionEvents['enrollment.changed'], manager: EntityManager): Promise<void> {
    const figures: FigureChange = { before: [], after: [] };
    await this.initLearners(manager, courseId, userIds, figures);
    await this.syncLearners(manager, userIds, courseId, figures);
    await this.figures.applyChange(figures.before, figures.after, manager);
  }

  /** People created or moved: in every course of theirs, the summaries' unit and branch and the counters follow. */
  @OnEventInTransaction('people.placed')
  async peoplePlaced({ userIds }: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    await this.syncLearners(manager, userIds);
  }

  /**
   * Creates the missing summary rows of the course's enrolled learners (all of them, or these), with their
   * enrolment status, unit and branch; set-based, for thousands at once. Existing rows are left alone. All of
   * them ('enrolled') is the rebuild's step, whose recompute then sets the first missed due dates and counts
   * the report's figures. The new summaries' part in those figures is applied, or added to `figures` for the
   * caller to apply last.
   */
  async initLearners(manager: EntityManager, courseId: string, userIds: string[] | 'enrolled', figures?: FigureChange): Promise<void> {
    const total = await this.activities.countRequired(courseId, manager);
    if (userIds === 'enrolled') {
      await this.summaries.insertMissing(total, null, this.enrollments.placements({ courseId }, this.people.places()), manager);
      return;
    }
    const dated = this.activities.requiredDueDates(courseId);
    const change: FigureChange = figures ?? { before: [], after: [] };
    for (let i = 0; i < userIds.length; i += 1000) {
      const chunk = userIds.slice(i, i + 1000);
      change.before.push(...(await this.figures.contributionsOf(courseId, chunk, manager)));
      await this.summaries.insertMissing(total, dated, this.enrollments.placements({ courseId, userIds: chunk }, this.people.places()), manager);
      change.after.push(...(await this.figures.contributionsOf(courseId, chunk, manager)));
    }
    if (!figures) await this.figures.applyChange(change.before, change.after, manager);
  }

  /**
   * For progress:rebuild (which recomputes the figures next): brings one course's summary copies of enrolment
   * status, unit and branch up to date after changes made outside the app (see syncLearners). Finds the learners whose copies differ with a plain
   * read, then locks and syncs only them, so a run with nothing to do locks nothing. Returns how many changed.
   */
  async syncMembership(courseId: string, manager?: EntityManager): Promise<number> {
    const run = async (m: EntityManager) => {
      await this.initLearners(m, courseId, 'enrolled');
      const stale = await this.summaries.findStaleLearnerIds(courseId, this.enrollments.placements({ courseId }, this.people.places()), m);
      return stale.length ? this.syncLearners(m, stale, courseId) : 0;
    };
    return manager ? run(manager) : this.transactions.run(run);
  }

  /**
   * Inside the transaction that withdrew, brought back or moved these learners: their summaries' copies of
   * enrolment status, unit and branch (in one course, or in all of theirs) follow the change, and so do
   * their completions in the per-activity counters: a withdrawal takes them out, a return puts them back,
   * a move to another unit moves them. The counters are kept by the summary's copies, so this is the one
   * place both change. Locks the summaries first, as the engine's events do. Returns how many changed.
   */
  async syncLearners(manager: EntityManager, userIds: string[], courseId?: string, figures?: FigureChange): Promise<number> {
    if (!userIds.length) return 0;
    const held = await this.summaries.lockCopies(userIds, courseId, manager);
    if (!held.length) return 0;
    const now = await this.summaries.findCurrentCopies(userIds, courseId, this.enrollments.placements({ courseId, userIds }, this.people.places()), manager);
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
      const done = await this.states.findCompletedOf(counted.map(({ was }) => [was.course_id, was.user_id]), this.activities.countingOf(), manager);
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
      await this.counters.addDoneChanges(rows, manager);
      const weekRows = [...weeks.values()].filter((d) => d.change !== 0).sort((a, b) =>
        a.courseId === b.courseId ? (a.unitId === b.unitId ? (a.week === b.week ? a.slot - b.slot : a.week < b.week ? -1 : 1) : a.unitId < b.unitId ? -1 : 1) : a.courseId < b.courseId ? -1 : 1,
      );
      await this.counters.addWeekChanges(weekRows, manager);
    }
    // The report's kept figures follow the copies: applied last (after the counters), here or by the caller.
    const byCourse = new Map<string, string[]>();
    for (const { was } of changes) byCourse.set(String(was.course_id), [...(byCourse.get(String(was.course_id)) ?? []), String(was.user_id)]);
    const change: FigureChange = figures ?? { before: [], after: [] };
    for (const [id, learners] of byCourse) change.before.push(...(await this.figures.contributionsOf(id, learners, manager)));
    await this.summaries.updateCopies(changes, manager);
    for (const [id, learners] of byCourse) change.after.push(...(await this.figures.contributionsOf(id, learners, manager)));
    if (!figures) await this.figures.applyChange(change.before, change.after, manager);
    return changes.length;
  }
}
