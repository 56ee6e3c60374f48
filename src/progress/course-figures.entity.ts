import { Column, Entity, PrimaryColumn } from 'typeorm';
import { RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/**
 * The department report's figures of a course, kept as learners work so the report at 100,000 learners
 * reads a few thousand rows instead of aggregating every summary on each view. Three tables:
 *
 * - course_figure_bases: the course settings the figures were counted by (required activities, required
 *   学时, start of the period). The report uses the figures only while these equal the course's settings
 *   now, and aggregates the summaries otherwise (see CourseFiguresRepository).
 * - course_branch_figures: per branch, the active learners, completions and the sums behind the averages.
 * - course_unit_cells: per unit, how many active learners fall in each bucket of four histograms (whole 学时,
 *   week of completion, progress percent, first missed due date of those not completed).
 *
 * Kept by the progress engine, the membership sync and enrolment with deltas worked out from the learner's
 * summary before and after the change, by the same SQL that counts a whole course (so the two cannot
 * disagree); recounted by every set-based recompute of the course. Every writer locks the summaries first
 * and these rows last, as the completion counters (see ActivityDoneCount).
 */
@Entity('course_figure_bases')
export class CourseFigureBasis {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @Column({ name: 'required_total', type: 'int', unsigned: true })
  requiredTotal: number;

  @Column({ name: 'required_credit_hours', type: 'decimal', precision: 6, scale: 1, transformer: decimalNumber })
  requiredCreditHours: number;

  @Column({ name: 'starts_at', type: 'datetime', precision: 3 })
  startsAt: Date;
}

@Entity('course_branch_figures')
export class CourseBranchFigures {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  /** The learners' unit (0: none). */
  @RefColumn('unit_id', { primary: true })
  unitId: string;

  /** The learners' branch (0: none). */
  @RefColumn('branch_id', { primary: true })
  branchId: string;

  /** Active learners. Signed, like every counter here, so no delta can underflow while rows are summed. */
  @Column({ type: 'int', default: 0 })
  enrolled: number;

  @Column({ type: 'int', default: 0 })
  completed: number;

  /** Sum of required activities done, each learner's capped at the basis's required total. */
  @Column({ name: 'required_done', type: 'bigint', default: 0 })
  requiredDone: string;

  /** Sum of 学时 in tenths, each learner's capped at the basis's required 学时. */
  @Column({ name: 'credit_tenths', type: 'bigint', default: 0 })
  creditTenths: string;
}

/** The histograms' kinds (course_unit_cells.kind). */
export const CELL_KIND = { hours: 1, week: 2, percent: 3, firstMissingDue: 4 } as const;

@Entity('course_unit_cells')
export class CourseUnitCell {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @RefColumn('unit_id', { primary: true })
  unitId: string;

  /** CELL_KIND. */
  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  kind: number;

  /** Whole 学时; week since the start; percent; milliseconds from 2000-01-01 to the first missed due date. */
  @PrimaryColumn({ type: 'bigint' })
  bucket: string;

  @Column({ type: 'int', default: 0 })
  learners: number;
}
