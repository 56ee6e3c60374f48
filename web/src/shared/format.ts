import type { Lang, Translate } from '../i18n';

/** Every date is shown in China time, whatever the browser's own zone. */
export const TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TIME_ZONE, ...options });
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  return formatter(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
}

export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  return formatter(lang, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(value));
}

export function formatTime(value: string, lang: Lang): string {
  return formatter(lang, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
}

/** "2026-09" → 2026年9月 / September 2026. */
export function formatMonth(month: string, lang: Lang, t: Translate): string {
  const [year, m] = month.split('-').map(Number);
  const monthName = formatter(lang, { month: 'long' }).format(new Date(Date.UTC(year, m - 1, 15)));
  return t('month', { year, month: m, monthName });
}

/** ISO instant → the value of a datetime-local input, in China time (UTC+8, no daylight saving). */
export function toBeijingInput(value: string | null | undefined): string {
  if (!value) return '';
  const shifted = new Date(new Date(value).getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16);
}

/** A datetime-local value read as China time → ISO-8601 with +08:00. */
export function fromBeijingInput(value: string): string | null {
  if (!value) return null;
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

export function formatHours(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}

/** The China-time calendar day of an instant, as a day count (for "还剩 2 天" and "已逾期 3 天"). */
export function beijingDay(value: string | Date): number {
  return Math.floor((new Date(value).getTime() + 8 * 3600_000) / 86_400_000);
}

/**
 * The watched figure of a video as shown: whole seconds of the whole length and a percent that agree. The
 * percent is 100 exactly when the shown seconds reach the length (within the half second a player stops
 * short of the end), never before; below that it is rounded down, so 23.6 of 24 s reads 23 / 24 and 98 %.
 */
export function watchFigures(watchedSeconds: number, durationSeconds: number): { seconds: number; total: number; percent: number } {
  const total = Math.max(0, Math.round(durationSeconds));
  if (durationSeconds <= 0) return { seconds: 0, total, percent: 0 };
  if (watchedSeconds >= durationSeconds - 0.5) return { seconds: total, total, percent: 100 };
  const seconds = Math.min(Math.floor(watchedSeconds), Math.max(0, total - 1));
  return { seconds, total, percent: Math.min(99, Math.floor((watchedSeconds / durationSeconds) * 100)) };
}

/** "12月6日 15:00" / "6 Dec 15:00", China time: short deadlines in notices. */
export function formatMonthDayTime(value: string, lang: Lang): string {
  const parts = Object.fromEntries(
    formatter(lang, { month: lang === 'en' ? 'short' : 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(value))
      .map((p) => [p.type, p.value]),
  );
  return lang === 'en' ? `${parts.day} ${parts.month} ${parts.hour}:${parts.minute}` : `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}
