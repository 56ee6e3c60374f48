import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Every message the server sends a person is Chinese only: no English sentence, no "中文 (english)", no field
 * key standing in for its name. And every exception carries a stable `code` for the web to map to words in
 * the page's language. This reads the source, so a new English message fails here before anyone sees it.
 */
const SRC = join(__dirname, '..');

/** Latin that may stand in a Chinese sentence: names of file formats and units. */
const ALLOWED_LATIN = /\b(PDF|MP4|MOV|WebM|Excel|CSV|ZIP|XLSX|xlsx|xls|MB|GB|KB)\b/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'cli' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The literal text of a message expression, interpolations left out; null for what cannot be read here (a variable). */
function texts(node: ts.Expression): string[] | null {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return texts(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [[node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ')];
  if (ts.isConditionalExpression(node)) return [...(texts(node.whenTrue) ?? []), ...(texts(node.whenFalse) ?? [])];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => texts(e as ts.Expression) ?? []);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'map') {
    const callback = node.arguments[0];
    if (callback && ts.isArrowFunction(callback) && !ts.isBlock(callback.body)) return texts(callback.body);
  }
  return null;
}

/** What is wrong with one message text, or null. */
export function messageDefect(text: string): string | null {
  if (/\p{Script=Han}[^\n]*\([^)]*[A-Za-z]{2,}/u.test(text)) return 'English in brackets after Chinese';
  const latin = text.replace(ALLOWED_LATIN, '').match(/[A-Za-z]{2,}/g);
  if (latin) return `English words: ${latin.join(' ')}`;
  if (text.trim() && !/\p{Script=Han}/u.test(text)) return 'no Chinese';
  return null;
}

interface Finding {
  where: string;
  problem: string;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined {
  return object.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText() === name) as
    | ts.PropertyAssignment
    | ts.ShorthandPropertyAssignment
    | undefined;
}

function scan(file: string): Finding[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const where = (node: ts.Node) => `${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const checkMessage = (node: ts.Expression) => {
    for (const text of texts(node) ?? []) {
      const problem = messageDefect(text);
      if (problem) findings.push({ where: where(node), problem: `${problem}: ${text}` });
    }
  };
  const visit = (node: ts.Node) => {
    // An error body anywhere: an object with a message and a machine code.
    const message = ts.isObjectLiteralExpression(node) && property(node, 'code') ? property(node, 'message') : undefined;
    if (message && ts.isPropertyAssignment(message)) checkMessage(message.initializer);
    // Every Nest HTTP exception: its body is an object with a code (or a value built elsewhere and checked there).
    if (ts.isNewExpression(node) && /Exception$/.test(node.expression.getText())) {
      const body = node.arguments?.[0];
      if (!body || ts.isStringLiteralLike(body) || ts.isTemplateExpression(body)) {
        findings.push({ where: where(node), problem: `${node.expression.getText()} without a body carrying a code` });
      } else if (ts.isObjectLiteralExpression(body) && !property(body, 'code')) {
        findings.push({ where: where(node), problem: `${node.expression.getText()} without a code` });
      }
    }
    // The error filter's own answers: plain(status, message, code).
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'plain' && node.arguments[1]) {
      checkMessage(node.arguments[1]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe('messages people read from the server', () => {
  it('tells English from Chinese (the check itself works)', () => {
    expect(messageDefect(['培训班已结业，不能再修改', '(the course is closed)'].join(' '))).toBe('English in brackets after Chinese');
    expect(messageDefect('activity  not found')).toMatch(/^English words/);
    expect(messageDefect('unitId 不是有效的编号')).toMatch(/^English words/);
    expect(messageDefect('只接受 PDF 文件')).toBeNull();
    expect(messageDefect('文件不能超过  MB')).toBeNull();
  });

  it('are Chinese only, and every exception carries a code', () => {
    const findings = sourceFiles(SRC).flatMap(scan);
    expect(findings).toEqual([]);
  });
});
