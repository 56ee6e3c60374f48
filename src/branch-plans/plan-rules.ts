import type { Norm, NormPeriod } from '../norms/norm.entity';
import { PERIODS_PER_YEAR } from '../norms/norm-set';
import type { BranchKind } from '../org/branch.entity';
import type { NewPlanItem } from './branch-plans.repository';

export const PLAN_ITEM_STATES = ['done', 'due', 'overdue', 'planned'] as const;
export type PlanItemState = (typeof PLAN_ITEM_STATES)[number];

/** The kind of a plan item that is the branch's own topic rather than a norm's. */
export const OWN_KIND = 'own';

const MONTHS_PER_PERIOD: Record<NormPeriod, number> = { month: 1, quarter: 3, year: 12 };
const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

/** The norms that apply to a branch of this kind. */
export function normsFor(norms: Norm[], kind: BranchKind): Norm[] {
  return norms.filter((n) => n.branchKinds.includes(kind));
}

/**
 * The draft a plan starts as: every norm's required count placed in its periods. The k-th of n items in a
 * period goes to the month where k/n of the period has passed, so an item falls due when the norm does
 * (a quarterly 党课 in the quarter's last month, two 谈心谈话 a year in June and December).
 */
export function prefilledItems(norms: Norm[]): NewPlanItem[] {
  const items: NewPlanItem[] = [];
  for (const norm of norms) {
    const length = MONTHS_PER_PERIOD[norm.per];
    for (let period = 0; period < PERIODS_PER_YEAR[norm.per]; period++) {
      for (let k = 0; k < norm.minCount; k++) {
        const month = period * length + Math.max(1, Math.floor(((k + 1) * length) / norm.minCount));
        items.push({ month, kind: norm.kind, title: itemTitle(norm, period, k), normId: norm.id, position: 0 });
      }
    }
  }
  items.sort((a, b) => a.month - b.month);
  const positions = new Map<number, number>();
  for (const item of items) {
    item.position = positions.get(item.month) ?? 0;
    positions.set(item.month, item.position + 1);
  }
  return items;
}

function itemTitle(norm: Norm, period: number, k: number): string {
  const nth = norm.minCount > 1 ? `第 ${k + 1} 次` : '';
  if (norm.per === 'quarter') return `${norm.name}（${QUARTERS[period]}${nth ? `，${nth}` : ''}）`;
  return nth ? `${norm.name}（${nth}）` : norm.name;
}

/**
 * Where an item stands on `today` (a Beijing year and month): done once one of its records is accepted;
 * otherwise overdue after its month, due in it, planned before it.
 */
export function itemState(year: number, month: number, accepted: boolean, today: { year: number; month: number }): PlanItemState {
  if (accepted) return 'done';
  const at = year * 12 + month;
  const now = today.year * 12 + today.month;
  if (at < now) return 'overdue';
  return at === now ? 'due' : 'planned';
}

/** A norm's period that the plan does not fill: `period` is the month (1–12), quarter (1–4) or 1 for the year. */
export interface Shortfall {
  normId: string;
  kind: string;
  name: string;
  per: NormPeriod;
  period: number;
  missing: number;
}

/** Where the plan places fewer of a norm's activities than the norm asks, period by period. */
export function shortfalls(norms: Norm[], items: Array<{ kind: string; month: number }>): Shortfall[] {
  const out: Shortfall[] = [];
  for (const norm of norms) {
    const length = MONTHS_PER_PERIOD[norm.per];
    for (let period = 0; period < PERIODS_PER_YEAR[norm.per]; period++) {
      const placed = items.filter((i) => i.kind === norm.kind && Math.floor((i.month - 1) / length) === period).length;
      if (placed < norm.minCount) out.push({ normId: norm.id, kind: norm.kind, name: norm.name, per: norm.per, period: period + 1, missing: norm.minCount - placed });
    }
  }
  return out;
}

/** A shortfall as a secretary reads it: 主题党日：5月少 1 次. */
export function shortfallText(s: Shortfall): string {
  const when = s.per === 'month' ? `${s.period}月` : s.per === 'quarter' ? QUARTERS[s.period - 1] : '全年';
  return `${s.name}：${when}少 ${s.missing} 次`;
}
