import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { RefColumn } from '../database/columns';

/** Learners are spread over this many counter rows per activity and unit (by user id), see below. */
export const DONE_COUNT_SLOTS = 8;

/** The key both completion-count tables start with: an activity of a course, and a unit. */
abstract class ActivityUnitKey {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @RefColumn('activity_id', { primary: true })
  activityId: string;

  /** The learner's unit when the completion was counted; 0 for learners without one. */
  @RefColumn('unit_id', { primary: true })
  unitId: string;
}

/**
 * How many active learners have completed each activity, kept by the progress engine inside the same
 * transaction that moves the learner's state, so reports never count activity_progress rows on a read.
 * Withdrawals, returns and unit moves shift a learner's completions in the same transaction as the change
 * (ProgressMembershipService.syncLearners).
 *
 * Why per unit and slot rather than one row per activity: thousands of learners finishing the same lesson
 * would all wait on one hot row lock until their transactions commit. Keyed by the learner's unit (the copy in
 * course_progress) and `user_id % DONE_COUNT_SLOTS`, concurrent completions of one activity touch different rows, a unit admin's
 * figures are a short index range, and the department's are at most units × slots rows per activity.
 * The counter is the last row an event locks, so it cannot take part in a lock cycle.
 * `npm run progress:rebuild` recomputes the rows from the activity states (active learners, by the unit in
 * their course_progress row, as the engine counts them).
 */
@Entity('activity_done_counts')
@Index('idx_activity_done_counts_unit', ['courseId', 'unitId', 'activityId'])
export class ActivityDoneCount extends ActivityUnitKey {
  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  slot: number;

  /** Signed so a withdrawn completion can never underflow while rows are summed. */
  @Column({ type: 'int', default: 0 })
  done: number;
}

/** The per-activity, per-unit completion counts frozen when the course closes (active learners only). */
@Entity('activity_done_results')
export class ActivityDoneResult extends ActivityUnitKey {
  @Column({ type: 'int' })
  done: number;
}

/**
 * How many required activities active learners completed in each Beijing week (Monday 00:00 +08:00), by the
 * learner's unit and slot as in ActivityDoneCount, so the dashboard's weekly progress series is a short range
 * of this table. Kept by the progress engine with the per-activity counters (a completion taken back leaves
 * the week it was counted in); recomputed with the course's summaries when the plan changes and by
 * progress:rebuild.
 */
@Entity('required_done_weeks')
export class RequiredDoneWeek {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @RefColumn('unit_id', { primary: true })
  unitId: string;

  /** The Monday (Beijing date) the week starts. */
  @PrimaryColumn({ name: 'week_start', type: 'date' })
  weekStart: string;

  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  slot: number;

  @Column({ type: 'int', default: 0 })
  done: number;
}
