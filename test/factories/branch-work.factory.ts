import { DataSource } from 'typeorm';
import { BranchPlan, PlanStatus } from '../../src/branch-plans/branch-plan.entity';
import { PlanItem } from '../../src/branch-plans/plan-item.entity';
import { BranchRecord, RecordStatus } from '../../src/handbook/branch-record.entity';
import type { Branch } from '../../src/org/branch.entity';
import { RecordCountsRepository } from '../../src/handbook/record-counts.repository';

/** The Beijing year of an instant (records count in the year they were held, Beijing time). */
export function beijingYearOf(at: Date): number {
  return new Date(at.getTime() + 8 * 3600 * 1000).getUTCFullYear();
}

/** The instant of a Beijing wall-clock time: `beijingTime(2026, 3, 15, 14)` is 15 March 2026 14:00 in Beijing. */
export function beijingTime(year: number, month: number, day: number, hour = 10): Date {
  return new Date(Date.UTC(year, month - 1, day, hour - 8));
}

export interface RecordSeed {
  kind: string;
  heldAt: Date;
  status?: RecordStatus;
  title?: string;
  createdBy: string;
  reviewedBy?: string;
  planItemId?: string;
}

/** A handbook record straight into the table (and the stored counts), in the state a test needs (the records HTTP routes are another module's). */
export async function makeRecord(ds: DataSource, branch: Branch, seed: RecordSeed): Promise<BranchRecord> {
  const status = seed.status ?? 'draft';
  const reviewed = status === 'accepted' || status === 'returned';
  const record = await ds.getRepository(BranchRecord).save({
    branchId: branch.id,
    year: beijingYearOf(seed.heldAt),
    kind: seed.kind,
    title: seed.title ?? `${seed.kind} ${seed.heldAt.toISOString().slice(0, 10)}`,
    heldAt: seed.heldAt,
    place: '党员活动室',
    minutes: '会议记录。',
    status,
    planItemId: seed.planItemId ?? null,
    createdBy: seed.createdBy,
    submittedAt: status === 'draft' ? null : seed.heldAt,
    reviewedBy: reviewed ? (seed.reviewedBy ?? seed.createdBy) : null,
    reviewedAt: reviewed ? seed.heldAt : null,
    reviewComment: status === 'returned' ? '请补充会议记录' : null,
  } as BranchRecord);
  // The stored counts follow, as the handbook keeps them for records written through the app.
  await new RecordCountsRepository(ds).recount(ds.manager, branch.id, record.year);
  return record;
}

/** A branch's plan for `year` with the given items (month, kind, title), straight into the tables. */
export async function makePlan(
  ds: DataSource,
  branch: Branch,
  year: number,
  items: { month: number; kind: string; title?: string; normId?: string }[],
  status: PlanStatus = 'approved',
): Promise<{ plan: BranchPlan; items: PlanItem[] }> {
  const plan = await ds.getRepository(BranchPlan).save({ branchId: branch.id, year, status } as BranchPlan);
  const saved = await ds.getRepository(PlanItem).save(
    items.map((item, position) => ({ planId: plan.id, month: item.month, kind: item.kind, title: item.title ?? item.kind, normId: item.normId ?? null, position }) as PlanItem),
  );
  return { plan, items: saved };
}
