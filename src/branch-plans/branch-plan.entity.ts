import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, ReviewedWork } from '../database/columns';
import { Branch } from '../org/branch.entity';

export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A branch's annual plan (一表, 党支部学习活动年度安排表): drafted by its secretary, approved by the unit. */
@Entity('branch_plans')
@Index('uq_branch_plans_branch_year', ['branchId', 'year'], { unique: true })
export class BranchPlan extends ReviewedWork {
  @IdColumn()
  id: string;

  @RefColumn('branch_id', { references: () => Branch })
  branchId: string;

  @Column({ type: 'smallint', unsigned: true })
  year: number;

  @Column({ type: 'enum', enum: PLAN_STATUSES, default: 'draft' })
  status: PlanStatus;

  /** The unit's comment when it returned (or approved) the plan. */
  @Column({ name: 'review_comment', type: 'varchar', length: 1000, nullable: true })
  reviewComment: string | null;
}
