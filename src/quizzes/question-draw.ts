import { randomInt } from 'node:crypto';
import type { QuizBank, QuizSettings } from '../access/activity-settings';

export type Question = QuizSettings['questions'][number];

/** A live question of a course's bank, as the draw sees it. */
export interface BankEntry {
  id: string;
  key: string;
  tags: string[];
  question: Question;
}

/**
 * A question as asked in one attempt, answer included (kept on the server). `ref` says where it came from
 * — `quiz:<index>` for the quiz's own questions, `bank:<id>` for the bank's — so item statistics can add
 * up the same question across attempts that drew different sets.
 */
export type AskedQuestion = Question & { ref: string };

export interface DrawProblem {
  field: string;
  message: string;
}

/**
 * What a quiz's bank settings cannot get from the bank as it is: unknown keys, or draws that might find too
 * few questions. Each draw is checked against the worst case — every earlier draw having taken as many of
 * its candidates as it could — so a quiz that passes here never runs short at start, whatever the dice say.
 */
export function bankProblems(bank: QuizBank | undefined, entries: Pick<BankEntry, 'key' | 'tags'>[]): DrawProblem[] {
  if (!bank) return [];
  const problems: DrawProblem[] = [];
  const known = new Set(entries.map((e) => e.key));
  bank.keys.forEach((key, i) => {
    if (!known.has(key)) problems.push({ field: `bank.keys.${i}`, message: `题库中没有编号为「${key}」的题目` });
  });
  const chosen = new Set(bank.keys);
  const pools = bank.draws.map((draw) => new Set(entries.filter((e) => !chosen.has(e.key) && matches(e, draw.tags)).map((e) => e.key)));
  bank.draws.forEach((draw, i) => {
    const takenBefore = bank.draws.slice(0, i).reduce((sum, earlier, j) => sum + Math.min(earlier.count, overlap(pools[j], pools[i])), 0);
    const left = pools[i].size - takenBefore;
    if (left < draw.count) {
      const which = draw.tags.length ? `标签为「${draw.tags.join('、')}」的` : '';
      problems.push({
        field: `bank.draws.${i}.count`,
        message:
          `题库中${which}题目在前面的抽题之后可能只剩 ${Math.max(0, left)} 道，不够抽 ${draw.count} 道，请增加题目或减少抽题数量`,
      });
    }
  });
  return problems;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const key of a) if (b.has(key)) n++;
  return n;
}

/**
 * The questions of one attempt: the quiz's own in order, then the bank's chosen by key, then each random
 * draw (distinct questions, in random order). Null when the bank no longer has enough.
 */
export function drawQuestions(settings: Pick<QuizSettings, 'questions' | 'bank'>, entries: BankEntry[], random: (n: number) => number = randomInt): AskedQuestion[] | null {
  const asked: AskedQuestion[] = settings.questions.map((q, i) => ({ ...q, ref: `quiz:${i}` }));
  if (!settings.bank) return asked;
  if (bankProblems(settings.bank, entries).length) return null;
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const taken = new Set<string>();
  for (const key of settings.bank.keys) {
    const entry = byKey.get(key)!;
    asked.push({ ...entry.question, ref: `bank:${entry.id}` });
    taken.add(key);
  }
  for (const draw of settings.bank.draws) {
    const pool = shuffle(
      entries.filter((e) => !taken.has(e.key) && matches(e, draw.tags)),
      random,
    ).slice(0, draw.count);
    if (pool.length < draw.count) return null;
    for (const entry of pool) {
      asked.push({ ...entry.question, ref: `bank:${entry.id}` });
      taken.add(entry.key);
    }
  }
  return asked;
}

export function shuffle<T>(items: T[], random: (n: number) => number = randomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function matches(entry: Pick<BankEntry, 'tags'>, tags: string[]): boolean {
  return tags.length === 0 || tags.some((t) => entry.tags.includes(t));
}
