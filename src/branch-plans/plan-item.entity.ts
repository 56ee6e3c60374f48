import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn } from '../database/columns';
import { BranchPlan } from './branch-plan.entity';

/** One line of a plan: an activity placed in a month, required by a norm (`kind` is the norm's) or the branch's own. */
@Entity('plan_items')
@Index('idx_plan_items_plan_month', ['planId', 'month', 'position'])
export class PlanItem {
  @IdColumn()
  id: string;

  @RefColumn('plan_id', { references: () => BranchPlan, onDelete: 'CASCADE' })
  planId: string;

  @Column({ type: 'tinyint', unsigned: true })
  month: number;

  /** The norm's kind, or `own` for a topic of the branch's own. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @RefColumn('norm_id', { nullable: true })
  normId: string | null;

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  position: number;
}
