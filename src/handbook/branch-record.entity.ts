import { Column, Entity, Index } from 'typeorm';
import { RefColumn } from '../database/columns';
import { BranchYearWork } from '../org/branch-year-work';

export const RECORD_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/**
 * A record (工作纪实) in a branch's handbook (一册): one activity the branch held. It belongs to the branch, not to
 * the secretary who wrote it. Accepted records are locked; corrections are appended (record_corrections).
 */
@Entity('branch_records')
@Index('idx_branch_records_branch_year', ['branchId', 'year', 'heldAt'])
@Index('idx_branch_records_year_status', ['year', 'status', 'branchId', 'kind'])
export class BranchRecord extends BranchYearWork {
  /** A norm's kind (`theme_day`, …) or `other`. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** The norm (of the version in force when it was accepted) it was judged by. */
  @RefColumn('norm_id', { nullable: true })
  normId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'held_at', type: 'datetime', precision: 3 })
  heldAt: Date;

  @Column({ type: 'varchar', length: 200, default: '' })
  place: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  chair: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  recorder: string | null;

  /** Minutes (Markdown, shown sanitized). */
  @Column({ type: 'mediumtext' })
  minutes: string;

  @Column({ type: 'text', nullable: true })
  resolutions: string | null;

  @RefColumn('plan_item_id', { nullable: true })
  planItemId: string | null;

  @Column({ type: 'enum', enum: RECORD_STATUSES, default: 'draft' })
  status: RecordStatus;

  @Column({ name: 'review_comment', type: 'varchar', length: 1000, nullable: true })
  reviewComment: string | null;

  /** Attendance counts, kept with the list so the ledger and compliance read them without counting rows. */
  @Column({ name: 'present_full', type: 'smallint', unsigned: true, default: 0 })
  presentFull: number;

  @Column({ name: 'present_probationary', type: 'smallint', unsigned: true, default: 0 })
  presentProbationary: number;

  @Column({ name: 'absent_count', type: 'smallint', unsigned: true, default: 0 })
  absentCount: number;

  @RefColumn('created_by')
  createdBy: string;
}
