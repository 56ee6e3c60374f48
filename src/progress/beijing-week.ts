const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The Monday (YYYY-MM-DD, Beijing date) of the Beijing week holding the instant. */
export function beijingWeekStart(at: Date): string {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const monday = new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * 24 * 3600 * 1000);
  return monday.toISOString().slice(0, 10);
}

/** The same Monday in SQL, for a UTC datetime column. */
export const WEEK_START_SQL = (column: string) => `DATE(${column} + INTERVAL 8 HOUR) - INTERVAL WEEKDAY(${column} + INTERVAL 8 HOUR) DAY`;
