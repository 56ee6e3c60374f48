import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { BranchPlan, type PlanStatus } from './branch-plan.entity';
import { PlanItemRecord } from './plan-item-record.entity';
import { PlanItem } from './plan-item.entity';

export interface PlanRow {
  branchId: string;
  year: number;
  status: PlanStatus;
  submittedAt: Date | null;
  reviewedAt: Date | null;
}

export type NewPlanItem = Pick<PlanItem, 'month' | 'kind' | 'title' | 'normId' | 'position'>;

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

  findPlan(branchId: string, year: number, manager: EntityManager = this.dataSource.manager): Promise<BranchPlan | null> {
    return manager.getRepository(BranchPlan).findOne({ where: { branchId, year } });
  }

  /** The plan, locked until the transaction ends: saves, submits and reviews of one plan run one after another. */
  lockPlan(manager: EntityManager, branchId: string, year: number): Promise<BranchPlan | null> {
    return manager.getRepository(BranchPlan).createQueryBuilder('p').setLock('pessimistic_write').where('p.branch_id = :branchId AND p.year = :year', { branchId, year }).getOne();
  }

  /** Adds the branch's plan for the year unless it is there already (another request may add it at the same moment): answers whether this call added it. */
  async insertPlanIfMissing(manager: EntityManager, branchId: string, year: number): Promise<boolean> {
    const added = await manager.createQueryBuilder().insert().into(BranchPlan).values({ branchId, year, status: 'draft' }).orIgnore().execute();
    // MariaDB answers the new id through RETURNING, MySQL through insertId (0 when the row was ignored).
    const id = added.identifiers[0]?.id as string | number | undefined;
    return Boolean(id) && String(id) !== '0';
  }

  async updatePlan(manager: EntityManager, id: string, change: Partial<Pick<BranchPlan, 'status' | 'reviewComment' | 'submittedAt' | 'reviewedBy' | 'reviewedAt'>>): Promise<void> {
    await manager.getRepository(BranchPlan).update({ id }, change);
  }

  /** A page of the year's plans (those submitted first, oldest first), optionally of some status and some branches. */
  async pagePlans(filter: { year: number; status?: PlanStatus; inBranches: Subquery | null; skip: number; take: number }): Promise<[PlanRow[], number]> {
    const where = ['p.year = ?'];
    const params: unknown[] = [filter.year];
    if (filter.status) {
      where.push('p.status = ?');
      params.push(filter.status);
    }
    if (filter.inBranches) {
      where.push(`p.branch_id IN (${filter.inBranches.sql})`);
      params.push(...filter.inBranches.params);
    }
    const sql = `FROM branch_plans p WHERE ${where.join(' AND ')}`;
    const rows: Array<{ branch_id: string | number; year: number; status: PlanStatus; submitted_at: Date | null; reviewed_at: Date | null }> = await this.dataSource.query(
      `SELECT p.branch_id, p.year, p.status, p.submitted_at, p.reviewed_at ${sql} ORDER BY p.submitted_at IS NULL, p.submitted_at, p.branch_id LIMIT ? OFFSET ?`,
      [...params, filter.take, filter.skip],
    );
    const [{ n }] = await this.dataSource.query(`SELECT COUNT(*) AS n ${sql}`, params);
    return [
      rows.map((r) => ({ branchId: String(r.branch_id), year: Number(r.year), status: r.status, submittedAt: r.submitted_at, reviewedAt: r.reviewed_at })),
      Number(n),
    ];
  }

  itemsOf(planId: string, manager: EntityManager = this.dataSource.manager): Promise<PlanItem[]> {
    return manager.getRepository(PlanItem).find({ where: { planId }, order: { month: 'ASC', position: 'ASC', id: 'ASC' } });
  }

  async insertItems(manager: EntityManager, planId: string, items: NewPlanItem[]): Promise<void> {
    if (items.length) await manager.getRepository(PlanItem).insert(items.map((item) => ({ ...item, planId })));
  }

  async updateItem(manager: EntityManager, id: string, change: NewPlanItem): Promise<void> {
    await manager.getRepository(PlanItem).update({ id }, change);
  }

  async deleteItems(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await manager.getRepository(PlanItem).delete({ id: In(ids) });
  }

  /** The records linked to these items, and whether each is accepted. */
  linksOf(itemIds: string[], manager: EntityManager = this.dataSource.manager): Promise<PlanItemRecord[]> {
    if (!itemIds.length) return Promise.resolve([]);
    return manager.getRepository(PlanItemRecord).find({ where: { planItemId: In(itemIds) }, order: { recordId: 'ASC' } });
  }

  /** The record fulfils no item but `keepItemId` (null: none at all). */
  async unlinkRecordExcept(manager: EntityManager, recordId: string, keepItemId: string | null): Promise<void> {
    const query = manager.createQueryBuilder().delete().from(PlanItemRecord).where('record_id = :recordId', { recordId });
    if (keepItemId) query.andWhere('plan_item_id <> :keepItemId', { keepItemId });
    await query.execute();
  }

  /** Links the record to the item, or updates whether it is accepted when the link exists. */
  async linkRecord(manager: EntityManager, planItemId: string, recordId: string, accepted: boolean): Promise<void> {
    await manager.createQueryBuilder().insert().into(PlanItemRecord).values({ planItemId, recordId, accepted }).orUpdate(['accepted'], ['plan_item_id', 'record_id']).execute();
  }

  /** Per branch, the items of its approved plan for the year and how many of them are done (a record accepted). */
  async itemsDoneOf(year: number, branchIds: string[]): Promise<Map<string, { items: number; done: number }>> {
    const figures = new Map<string, { items: number; done: number }>();
    if (!branchIds.length) return figures;
    const rows: { branch_id: string; items: string; done: string }[] = await this.dataSource.query(
      `SELECT p.branch_id, COUNT(*) AS items,
              SUM(EXISTS (SELECT 1 FROM plan_item_records r WHERE r.plan_item_id = i.id AND r.accepted = 1)) AS done
         FROM branch_plans p JOIN plan_items i ON i.plan_id = p.id
        WHERE p.year = ? AND p.branch_id IN (?) AND p.status = 'approved'
        GROUP BY p.branch_id`,
      [year, branchIds],
    );
    for (const r of rows) figures.set(String(r.branch_id), { items: Number(r.items), done: Number(r.done) });
    return figures;
  }
}
