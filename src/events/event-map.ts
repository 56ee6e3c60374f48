/**
 * Every event one module tells the others, with its payload. A module emits through EventBus and never
 * imports the modules that react; those mark a method with @OnEvent / @OnEventInTransaction.
 */

/** Emitted after the change is committed: a failing handler is logged and the change stands. */
export interface AfterCommitEvents {
  /** A course's period or 补学 rule changed: when its activities stop taking work may have moved. */
  'course.changed': { courseId: string };
  /** A course closed (by the department or when its period plus grace passed). */
  'course.closed': { courseId: string };
  /** Learners left a course (withdrawn): what was cached about who may still report is stale. */
  'course.learnersLeft': { courseId: string; userIds: string[] };
  /** An activity was added, edited, archived or deleted (its course's plan may have changed). */
  'activity.changed': { activityId: string; courseId: string; type: string };
}

/**
 * Emitted inside the caller's transaction: every handler runs with the same EntityManager, and a failing
 * handler rolls the whole change back. For copies that must never disagree with their source.
 */
export interface InTransactionEvents {
  /** People were created, or moved to another branch or unit. */
  'people.placed': { userIds: string[] };
  /** A branch moved to another unit: its people's unit must follow (theirs mirrors their branch's). */
  'branch.moved': { branchId: string; unitId: string };
  /** People were enrolled in, withdrawn from or returned to a course. */
  'enrollment.changed': { courseId: string; userIds: string[] };
  /** What a course asks of its learners changed (activities added, deleted, archived, made required or elective, their 学时, the course's minimums): every learner's standing follows. */
  'course.planChanged': { courseId: string };
  /** Only the due dates of required activities moved (course.planChanged covers them with everything else). */
  'course.dueDatesChanged': { courseId: string };
  /** An activity's 学时 changed from `previousHours`: learners who completed it are credited the difference. */
  'activity.creditHoursChanged': { activityId: string; type: string; title: string; creditHours: number; previousHours: number };
  /** An activity is about to be deleted: a module keeping learners' records of it refuses by throwing. */
  'activity.deleting': { activityId: string };
  /** A course is closing: what learners achieved becomes its final results, in the same transaction. */
  'course.closing': { courseId: string };
  /**
   * A handbook record was written, submitted, reviewed or re-linked: the plan item it fulfils (`planItemId`,
   * formerly `previousPlanItemId`) follows — an item is done once one of its records is accepted.
   */
  'branchRecord.changed': {
    recordId: string;
    branchId: string;
    status: 'draft' | 'submitted' | 'accepted' | 'returned';
    planItemId: string | null;
    previousPlanItemId: string | null;
    /** The Beijing year it counts in, and the one it counted in before this change (null for a new record). */
    year: number;
    previousYear: number | null;
  };
}

export type AfterCommitEvent = keyof AfterCommitEvents;
export type InTransactionEvent = keyof InTransactionEvents;
