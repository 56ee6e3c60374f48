import { Column, Entity, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Course } from '../courses/course.entity';
import { RefColumn, UpdatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/**
 * The stored per-learner course summary that every read uses (never recomputed from raw events on a read).
 * Maintained by the progress engine; rebuilt from activity states and the credit ledger by progress:rebuild.
 */
@Entity('course_progress')
@Index('idx_course_progress_course_completed', ['courseId', 'completed'])
// Covers every department report (by unit, branch, 学时, week, average progress, overdue learners) as an
// index-only range scan in group order.
@Index('idx_course_progress_report', [
  'courseId',
  'active',
  'unitId',
  'branchId',
  'completed',
  'creditHours',
  'completedAt',
  'requiredDone',
  'requiredTotal',
  'firstMissingDueAt',
])
export class CourseProgress {
  @RefColumn('course_id', { primary: true, references: () => Course })
  courseId: string;

  @RefColumn('user_id', { primary: true, references: () => User })
  userId: string;

  /**
   * Copies of the learner's enrolment status, unit and branch, so reports group one table (no per-learner
   * joins). Set when the row is created and kept by ProgressMembershipService (its enrollment.changed and
   * people.placed handlers) in the transaction of every enrolment, withdrawal, return or move made through the
   * app; progress:rebuild catches changes written into the database by other tools. The completion counters
   * follow these copies.
   */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @RefColumn('branch_id', { nullable: true })
  branchId: string | null;

  @Column({ name: 'required_done', type: 'int', unsigned: true, default: 0 })
  requiredDone: number;

  @Column({ name: 'required_total', type: 'int', unsigned: true, default: 0 })
  requiredTotal: number;

  @Column({ name: 'credit_hours', type: 'decimal', precision: 7, scale: 1, default: 0, transformer: decimalNumber })
  creditHours: number;

  @Column({ name: 'sessions_attended', type: 'int', unsigned: true, default: 0 })
  sessionsAttended: number;

  @Column({ type: 'boolean', default: false })
  completed: boolean;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;

  /**
   * The earliest due date among the required activities the learner has not completed (null: none left with a
   * due date). The learner is overdue once it has passed, so the completion report counts overdue learners in
   * its one pass over the summaries instead of probing each learner's states. Kept by the engine on every
   * required completion or reopening, recomputed for the whole course when required activities or their due
   * dates change, and by progress:rebuild.
   */
  @Column({ name: 'first_missing_due_at', type: 'datetime', precision: 3, nullable: true })
  firstMissingDueAt: Date | null;

  /** How many of the learner's completions were made up (补学) after their due date. */
  @Column({ name: 'made_up_count', type: 'int', unsigned: true, default: 0 })
  madeUpCount: number;

  @Column({ name: 'last_activity_at', type: 'datetime', precision: 3, nullable: true })
  lastActivityAt: Date | null;

  @UpdatedAt()
  updatedAt: Date;
}
