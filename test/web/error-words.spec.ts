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
 * Every error code the server can send: `code: 'X'` in an exception, a service rule's own code on its input
 * problems (`inputException(problems, 'X')`), and the codes the error filter assigns.
 */
function serverCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const patterns = [/code: '([A-Z][A-Z0-9_]+)'/g, /\bcode = '([A-Z][A-Z0-9_]+)'/g, /(?:inputException|unknownTargetsException)\([^;]*?, '([A-Z][A-Z0-9_]+)'\)/g];
    if (file.endsWith('http-exception.filter.ts')) patterns.push(/'([A-Z][A-Z0-9_]+)'\)/g, /\d{3}: '([A-Z][A-Z0-9_]+)'/g);
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) codes.set(match[1], relative(SRC, file));
  }
  return codes;
}

describe('the web words every server error code', () => {
  const codes = serverCodes();

  it('finds the codes (the scan itself works)', () => {
    expect(codes.size).toBeGreaterThan(80);
    expect(codes.has('USERNAME_TAKEN')).toBe(true);
    expect(codes.has('DUPLICATE')).toBe(true);
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
    for (const [code, text] of Object.entries(errorsZh)) expect([code, /\(|[A-Za-z]{3,}/.test(text.replace(/PDF|MP4|MOV|WebM/g, ''))]).toEqual([code, false]);
    for (const [code, text] of Object.entries(errorsEn)) expect([code, /\p{Script=Han}/u.test(text)]).toEqual([code, false]);
  });
});
