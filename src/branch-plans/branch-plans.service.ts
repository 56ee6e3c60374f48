import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BranchPlan } from './branch-plan.entity';
import type { PlanItem } from './plan-item.entity';
import { BranchPlansRepository } from './branch-plans.repository';

/** A branch's annual plan (一表): drafted from the norms by its secretary, approved by its unit. */
@Injectable()
export class BranchPlansService {
  constructor(private readonly plans: BranchPlansRepository) {}

  /** The item if it is in this branch's plan for `year`; null otherwise (another branch's item is no item). */
  async itemOfBranch(itemId: string, branchId: string, year: number, manager?: EntityManager): Promise<PlanItem | null> {
    const found = await this.plans.findItemWithPlan(itemId, manager);
    return found && found.branchId === branchId && found.year === year ? found.item : null;
  }

  /** The branch's stored plan of a year with its items (the printed handbook prints it); null when none is stored. */
  storedPlan(branchId: string, year: number): Promise<{ plan: BranchPlan; items: PlanItem[] } | null> {
    return this.plans.planWithItems(branchId, year);
  }
}
