import { readTableFile, type TableFile } from '../common/table-file';
import type { MemberCategory } from './branch-member.entity';

/** The columns a member list may carry, each recognised by its Chinese or English header. */
export const MEMBER_COLUMNS = {
  name: ['姓名', 'name'],
  category: ['类别', '党员类别', '人员类别', '党员身份', '身份', 'category'],
  joinedAt: ['入党时间', '入党日期', '入党年月', 'joinedat', 'joined'],
} as const;
export type MemberColumn = keyof typeof MEMBER_COLUMNS;

/** A branch is small: a member list of more than this is a wrong file. */
export const MAX_MEMBER_ROWS = 2_000;

export function readMemberFile(buffer: Buffer): Promise<TableFile<MemberColumn>> {
  return readTableFile(buffer, { columns: MEMBER_COLUMNS, required: ['name'], maxRows: MAX_MEMBER_ROWS });
}

const CATEGORY_WORDS: Record<string, MemberCategory> = {
  正式: 'full', 正式党员: 'full', 党员: 'full', full: 'full',
  预备: 'probationary', 预备党员: 'probationary', probationary: 'probationary',
};

/** 正式/预备 as people write them; an empty cell is a full member; null for a word we do not know. */
export function memberCategory(text: string | undefined): MemberCategory | null {
  if (!text) return 'full';
  return CATEGORY_WORDS[text.replace(/\s/g, '').toLowerCase()] ?? null;
}

/** 2021-07-01, 2021/7/1, 2021.7.1, 2021年7月1日 or 2021-07, read as its first day, as YYYY-MM-DD; null when it is no real date. */
export function calendarDate(text: string): string | null {
  const match = /^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 1)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}
