import { Column, Entity, Index } from 'typeorm';
import { BranchYearWork } from '../org/branch-year-work';

export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A branch's annual plan (一表, 党支部学习活动年度安排表): drafted by its secretary, approved by the unit. */
@Entity('branch_plans')
@Index('uq_branch_plans_branch_year', ['branchId', 'year'], { unique: true })
export class BranchPlan extends BranchYearWork {
  @Column({ type: 'enum', enum: PLAN_STATUSES, default: 'draft' })
  status: PlanStatus;

  /** The unit's comment when it returned (or approved) the plan. */
  @Column({ name: 'review_comment', type: 'varchar', length: 1000, nullable: true })
  reviewComment: string | null;
}
