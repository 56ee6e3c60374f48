import type { NormPeriod } from '../norms/norm.entity';
import { PERIODS_PER_YEAR } from '../norms/norm-set';

/** China time has no daylight saving: a fixed UTC+8 offset is exact. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The Beijing year and month (1–12) at `at`. */
export function beijingYearMonth(at: Date): { year: number; month: number } {
  const d = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** The month (1–12) that the `index`-th (1-based) period of `per` starts in. */
function firstMonthOf(per: NormPeriod, index: number): number {
  return per === 'month' ? index : per === 'quarter' ? (index - 1) * 3 + 1 : 1;
}

/**
 * How many periods of `per` in `year` have begun by `now` (Beijing time): every one of a past year, none of a
 * future year, and for the current year those whose first day has come (December 6th: 12 months, 4 quarters, 1 year).
 */
export function periodsBegun(per: NormPeriod, year: number, now: Date): number {
  const today = beijingYearMonth(now);
  if (year < today.year) return PERIODS_PER_YEAR[per];
  if (year > today.year) return 0;
  let begun = 0;
  for (let i = 1; i <= PERIODS_PER_YEAR[per]; i++) if (firstMonthOf(per, i) <= today.month) begun++;
  return begun;
}

/**
 * How many periods of `per` in `year` are over by `now` (Beijing time): a record still missing for one of them
 * is overdue; the period under way is not yet (December 6th: 11 months, 3 quarters, no year).
 */
export function periodsEnded(per: NormPeriod, year: number, now: Date): number {
  const today = beijingYearMonth(now);
  if (year < today.year) return PERIODS_PER_YEAR[per];
  if (year > today.year) return 0;
  const months = PERIODS_PER_YEAR[per] === 12 ? 1 : PERIODS_PER_YEAR[per] === 4 ? 3 : 12;
  return Math.floor((today.month - 1) / months);
}
