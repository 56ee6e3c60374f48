import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in Markdown is kept as text (html: false); the result is sanitized again all the same.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

/** Markdown as learners and instructors write it, rendered to HTML that cannot run anything. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'ins'],
    allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'title'], code: ['class'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
  });
}

/** The text a reader sees, without Markdown syntax. */
export function plainText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Characters that count toward a minimum length: every character a reader sees except whitespace (汉字 count one each). */
export function countCharacters(source: string): number {
  return [...plainText(source).replace(/\s+/g, '')].length;
}

const SHINGLE = 3;

/** Overlapping 3-character pieces of the text with punctuation and whitespace removed: works for Chinese. */
export function shingles(source: string): Set<string> {
  const chars = [...plainText(source).toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')];
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= chars.length; i++) out.add(chars.slice(i, i + SHINGLE).join(''));
  return out;
}

/** Jaccard similarity of two shingle sets (0–1). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

/** 64-bit SimHash of the shingles: near-identical texts differ in few bits, so candidates are found in SQL. */
export function simhash(set: Set<string>): bigint {
  const weights = new Array<number>(64).fill(0);
  for (const shingle of set) {
    const h = fnv1a64(shingle);
    for (let bit = 0; bit < 64; bit++) weights[bit] += (h >> BigInt(bit)) & 1n ? 1 : -1;
  }
  let out = 0n;
  for (let bit = 0; bit < 64; bit++) if (weights[bit] > 0) out |= 1n << BigInt(bit);
  return out;
}

function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}
