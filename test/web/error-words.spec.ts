import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { errorsEn } from '../../web/src/i18n/errors.en';
import { errorsZh } from '../../web/src/i18n/errors.zh';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'cli' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Every error code the server can send: any UPPER_SNAKE string literal in src/ (outside config and the CLI),
 * but for MySQL's and Fastify's own codes, which the error filter translates, and a few names that are not codes.
 */
const NOT_CODES = new Set(['JOB_REGISTRY', 'WHEN_REQUIRED']);
function serverCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    if (/^(config|cli)\//.test(relative(SRC, file))) continue;
    const text = readFileSync(file, 'utf8');
    for (const [, code] of text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) {
      if (!/^(ER|FST)_/.test(code) && !NOT_CODES.has(code)) codes.set(code, relative(SRC, file));
    }
    // One-word codes (CONFLICT, DUPLICATE): where a code is given, and the error filter's own tables.
    const oneWord = [/code: '([A-Z]+)'/g, ...(file.endsWith('http-exception.filter.ts') ? [/'([A-Z]+)'\)/g, /\d{3}: '([A-Z]+)'/g] : [])];
    for (const pattern of oneWord) for (const [, code] of text.matchAll(pattern)) codes.set(code, relative(SRC, file));
  }
  return codes;
}

describe('the web words every server error code', () => {
  const codes = serverCodes();

  it('finds the codes (the scan itself works)', () => {
    expect(codes.size).toBeGreaterThan(80);
    expect(codes.has('USERNAME_TAKEN')).toBe(true);
    expect(codes.has('DATABASE_UNAVAILABLE')).toBe(true);
    expect(codes.has('ER_DUP_ENTRY')).toBe(false);
  });

  it.each([
    ['Chinese', errorsZh],
    ['English', errorsEn],
  ])('in %s', (_language, words) => {
    const missing = [...codes].filter(([code]) => !words[code]).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has no words for codes the server no longer sends, and the same codes in both languages', () => {
    expect(Object.keys(errorsEn).sort()).toEqual(Object.keys(errorsZh).sort());
    const known = new Set([...codes.keys(), 'NETWORK']);
    expect(Object.keys(errorsZh).filter((code) => !known.has(code))).toEqual([]);
  });

  it('keeps each language to itself: no English in the Chinese words, no Chinese in the English ones', () => {
    for (const [code, text] of Object.entries(errorsZh)) expect([code, /\(|[A-Za-z]{3,}/.test(text.replace(/PDF|MP4|MOV|WebM|CSV|xlsx|Excel/g, ''))]).toEqual([code, false]);
    for (const [code, text] of Object.entries(errorsEn)) expect([code, /\p{Script=Han}/u.test(text)]).toEqual([code, false]);
  });
});

describe('input problems in English', () => {
  it('names in English every field the server names in Chinese', () => {
    const { FIELD_LABELS } = require('../../src/common/validation-errors') as typeof import('../../src/common/validation-errors');
    const { fieldsEn } = require('../../web/src/i18n/problems.en') as typeof import('../../web/src/i18n/problems.en');
    expect(Object.keys(FIELD_LABELS).filter((field) => !fieldsEn[field])).toEqual([]);
  });

  it('says what is wrong, with the rule\'s numbers', () => {
    const { problemEn } = require('../../web/src/i18n/problems.en') as typeof import('../../web/src/i18n/problems.en');
    expect(problemEn({ field: 'requiredCreditHours', rule: 'min', params: { min: 0 }, message: '要求学时不能小于 0' })).toBe('Required credit hours must be at least 0');
    expect(problemEn({ field: 'questions.1.prompt', rule: 'required', message: '请填写题目第 2 项的题干' })).toBe('Questions, item 2: Question text is required');
  });
});
