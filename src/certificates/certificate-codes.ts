import { createHash, randomBytes } from 'node:crypto';

/** 80 random bits: far past guessing (the brief asks ≥ 64), still short enough to type from paper. */
const CODE_BYTES = 10;
// Crockford's base32: no I, L, O, U, so a code read off paper is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** A fresh verification code from the operating system's CSPRNG: 16 base32 characters. */
export function newVerificationCode(): string {
  const bytes = randomBytes(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** What is stored and looked up: an index search on the hash reveals nothing about how close a guess was. */
export function hashVerificationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** Normalizes what a person typed (lower case, spaces, dashes); null when it cannot be a code at all. */
export function normalizeVerificationCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}

/** `2026-0001234`: the course's year and its position in the course's sequence. */
export function formatSerial(year: number, seq: number): string {
  return `${year}-${String(seq).padStart(7, '0')}`;
}

/** 张三 → 张*, 欧阳修文 → 欧**文: enough to recognise a certificate, not enough to harvest names. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Made once: building an Intl.DateTimeFormat costs far more than using one (it was a tenth of a certificate's rendering). */
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });

/** Calendar parts in China time, whatever the server's time zone. */
export function chinaDate(date: Date): { year: number; month: number; day: number } {
  const parts = CHINA_DAY.formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** 2026年9月1日 */
export function chineseDate(date: Date): string {
  const { year, month, day } = chinaDate(date);
  return `${year}年${month}月${day}日`;
}
