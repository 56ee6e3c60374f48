/** China has no daylight saving: Beijing time is UTC+8 all year, so shifting by 8 hours is exact. */
const OFFSET_MS = 8 * 3600_000;

/** The Beijing calendar day of a moment: year, month (1–12), day and `YYYY-MM-DD`. */
export function beijingDay(at: Date = new Date()): { year: number; month: number; day: number; date: string } {
  const shifted = new Date(at.getTime() + OFFSET_MS);
  const date = shifted.toISOString().slice(0, 10);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), date };
}

/** The years the branch-work routes accept: wide enough for any real plan, narrow enough to refuse typos. */
export const MIN_WORK_YEAR = 2000;
export const MAX_WORK_YEAR = 2100;
