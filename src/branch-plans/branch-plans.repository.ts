import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BranchPlan } from './branch-plan.entity';
import { PlanItem } from './plan-item.entity';

/** The branch_plans, plan_items and plan_item_records tables. */
@Injectable()
export class BranchPlansRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A plan item with the branch and year of its plan, if it exists. */
  async findItemWithPlan(itemId: string, manager: EntityManager = this.dataSource.manager): Promise<{ item: PlanItem; branchId: string; year: number } | null> {
    const row = await manager
      .getRepository(PlanItem)
      .createQueryBuilder('i')
      .innerJoin('branch_plans', 'p', 'p.id = i.plan_id')
      .addSelect(['p.branch_id AS plan_branch_id', 'p.year AS plan_year'])
      .where('i.id = :itemId', { itemId })
      .getRawAndEntities();
    const item = row.entities[0];
    if (!item) return null;
    const raw = row.raw[0] as { plan_branch_id: string | number; plan_year: number };
    return { item, branchId: String(raw.plan_branch_id), year: Number(raw.plan_year) };
  }

  /** A branch's stored plan of a year and its items by month (the printed handbook's plan); null when none is stored. */
  async planWithItems(branchId: string, year: number): Promise<{ plan: BranchPlan; items: PlanItem[] } | null> {
    const plan = await this.dataSource.getRepository(BranchPlan).findOneBy({ branchId, year });
    if (!plan) return null;
    const items = await this.dataSource.getRepository(PlanItem).find({ where: { planId: plan.id }, order: { month: 'ASC', position: 'ASC', id: 'ASC' } });
    return { plan, items };
  }
}
