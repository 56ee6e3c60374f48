import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UsersRepository } from '../users/users.repository';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { Transactions } from '../database/transactions';
import type { AfterCommitEvents } from '../events/event-map';
import { OnEvent } from '../events/on-event.decorator';
import { CourseProgressRepository } from './course-progress.repository';
import { CourseFiguresRepository, FigureBasis } from './course-figures.repository';
import { CreditEntriesRepository } from './credit-entries.repository';
import { DoneCountersRepository } from './done-counters.repository';
import { ProgressMembershipService } from './progress-membership.service';

/**
 * Keeps a course's summaries, counters and 学时 ledger true to its plan and rules: set-based for the whole
 * course when an activity or the course's minimums change, on progress:rebuild, and once at closing.
 */
@Injectable()
export class ProgressPlanService {
  constructor(
    private readonly transactions: Transactions,
    private readonly membership: ProgressMembershipService,
    private readonly people: UsersRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly courses: CoursesRepository,
    private readonly summaries: CourseProgressRepository,
    private readonly credits: CreditEntriesRepository,
    private readonly counters: DoneCountersRepository,
    private readonly figures: CourseFiguresRepository,
  ) {}

  /**
   * A course's minimums (学时, sessions) or period may have changed: every learner's completion follows. The
   * set-based recompute runs only when a stored completion disagrees with the course's rules now (a new period
   * changes none), so an edit of a large course costs one read.
   */
  @OnEvent('course.changed')
  async courseChanged({ courseId }: AfterCommitEvents['course.changed']): Promise<void> {
    await this.transactions.run(async (manager) => {
      const course = await this.courses.findById(courseId, manager);
      if (!course || course.status === 'closed') return;
      if (await this.summaries.existsCompletionOtherThan(courseId, course, manager)) {
        await this.recomputeCourse(courseId, manager);
        return;
      }
      // The report's kept figures were counted by the required 学时 and the start: a change recounts them.
      const basis = { requiredTotal: await this.activities.countRequired(courseId, manager), requiredCreditHours: course.requiredCreditHours, startsAt: course.startsAt };
      if (!sameBasis(await this.figures.basisOf(courseId, manager), basis)) await this.figures.recount(courseId, basis, manager);
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
      // Locked before any other read: this transaction's snapshot then comes after every edit of the activity
      // that committed before the lock, so the ledger is settled against the 学时 an edit at the same moment left.
      await this.activities.lock(activityId, manager);
      const course = await this.courses.findById(courseId, manager);
      if (!course || course.status === 'draft' || course.status === 'closed') return;
      const booked = await this.settleCreditHours(manager, activityId);
      const total = await this.activities.countRequired(courseId, manager);
      const moved = await this.summaries.existsRequiredTotalOtherThan(courseId, total, manager);
      if (booked || moved) await this.recomputeCourse(courseId, manager);
    });
  }

  /**
   * Recomputes every learner's summary of one course from the activity states and the 学时 ledger in two
   * set-based statements. Used when the plan changes (an activity added, archived or made elective) and by
   * progress:rebuild; never on a read.
   */
  async recomputeCourse(courseId: string, manager: EntityManager): Promise<void> {
    const course = await this.courses.findById(courseId, manager);
    if (!course) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
    const total = await this.activities.countRequired(courseId, manager);
    await this.summaries.recomputeFigures(courseId, total, this.activities.countingOf(courseId), manager);
    await this.summaries.recomputeCompletion(courseId, course, manager);
    await this.summaries.recomputeFirstMissingDue(courseId, this.activities.requiredDueDates(courseId), manager);
    // Which activities count as required may have changed: the weekly counts follow.
    await this.counters.recountWeeks(courseId, this.activities.requiredIds(courseId), manager);
    await this.figures.recount(courseId, { requiredTotal: total, requiredCreditHours: course.requiredCreditHours, startsAt: course.startsAt }, manager);
  }

  /** The due dates of required activities moved: every learner's first missed due date follows, and the report's figures. */
  async recomputeFirstMissingDue(courseId: string, manager: EntityManager): Promise<void> {
    const course = await this.courses.findById(courseId, manager);
    if (!course) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
    await this.summaries.recomputeFirstMissingDue(courseId, this.activities.requiredDueDates(courseId), manager);
    const total = await this.activities.countRequired(courseId, manager);
    await this.figures.recount(courseId, { requiredTotal: total, requiredCreditHours: course.requiredCreditHours, startsAt: course.startsAt }, manager);
  }

  /**
   * The activity's 学时 changed: learners who completed it get the difference between its 学时 now and what
   * the ledger holds for their completion, as a correction keyed by both (the same change is never booked
   * twice, and settling again finds nothing to do). The caller recomputes the course afterwards. Returns how
   * many corrections were booked.
   */
  async settleCreditHours(manager: EntityManager, activityId: string): Promise<number> {
    const activity = await this.activities.findById(activityId, manager);
    if (!activity) return 0;
    const source = activity.type === 'session' ? 'offline' : 'online';
    return this.credits.insertCorrections({ id: activity.id, creditHours: activity.creditHours, title: activity.title, source }, manager);
  }

  /**
   * Rebuilds one course's summaries from the activity states and the ledger, and its completion counters
   * (active learners, by the unit their summary holds, as the engine and syncLearners keep them); returns
   * how many learners.
   */
  async rebuildCourse(courseId: string): Promise<number> {
    return this.transactions.run(async (manager) => {
      await this.membership.syncMembership(courseId, manager);
      await this.recomputeCourse(courseId, manager);
      await this.counters.recountDone(courseId, manager);
      return this.summaries.countByCourse(courseId, manager);
    });
  }

  /** Freezes every learner's summary as the course's final results (reports and certificates use them). */
  async freeze(manager: EntityManager, courseId: string): Promise<number> {
    const placements = this.enrollments.placements({ courseId }, this.people.places());
    const frozen = await this.summaries.freezeResults(courseId, placements, manager);
    // Once, at closing: the exact per-activity counts of the learners whose results were frozen.
    await this.counters.freezeResults(courseId, placements, manager);
    return frozen;
  }
}

function sameBasis(a: FigureBasis | null, b: FigureBasis): boolean {
  return a !== null && a.requiredTotal === b.requiredTotal && a.requiredCreditHours === b.requiredCreditHours && a.startsAt.getTime() === b.startsAt.getTime();
}
