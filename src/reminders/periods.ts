/** China time (Asia/Shanghai) has no daylight saving: a fixed UTC+8 offset is exact. */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface QuietHours {
  start: string;
  end: string;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

/**
 * How long to wait before sending at `now`: 0 outside the quiet hours, otherwise the time until they end
 * (China time). Handles periods that wrap midnight (22:00-07:00) and ones that do not (12:00-14:00).
 */
export function quietDelayMs(now: Date, quiet: QuietHours | null): number {
  if (!quiet) return 0;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return 0;
  const china = now.getTime() + CHINA_OFFSET_MS;
  const msIntoDay = ((china % DAY_MS) + DAY_MS) % DAY_MS;
  const minute = msIntoDay / 60_000;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return 0;
  const endMs = end * 60_000;
  return endMs > msIntoDay ? endMs - msIntoDay : DAY_MS - msIntoDay + endMs;
}

/** The China-time calendar day, e.g. 20261127. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The China-time ISO week, e.g. 2026W48: weekly mails are deduplicated per week. */
export function chinaWeek(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}W${String(week).padStart(2, '0')}`;
}

/** A due time as a compact period (minute precision, UTC): a moved deadline is a new reminder. */
export function dueStamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/[-:]/g, '');
}

/** "11月27日 14:00" in China time, for mails. */
export function chinaDateTime(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}
