import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/** A font parsed by fontkit, as pdfkit's registerFont takes it. */
export type ParsedFont = { layout: (...args: unknown[]) => unknown };

let fonts: { regular: ParsedFont; bold: ParsedFont } | undefined;

/**
 * Noto Sans SC (regular and bold) for printed Chinese documents, read and parsed once per process: 10 MB per
 * weight, of which pdfkit embeds only the glyphs a document uses. fontkit is pdfkit's own parser.
 */
export function cjkFonts(): { regular: ParsedFont; bold: ParsedFont } {
  if (!fonts) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fontkit = require('fontkit') as { create: (buffer: Buffer) => ParsedFont };
    const root = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    fonts = {
      regular: fontkit.create(readFileSync(join(root, '400Regular', 'NotoSansSC_400Regular.ttf'))),
      bold: fontkit.create(readFileSync(join(root, '700Bold', 'NotoSansSC_700Bold.ttf'))),
    };
  }
  return fonts;
}

/**
 * A new PDF with the fonts 'regular' and 'bold' (Noto Sans SC) registered; `done` resolves to the document's
 * bytes once the caller has drawn it and called `doc.end()`.
 */
export function cjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const { regular, bold } = cjkFonts();
  const doc = new PDFDocument(options);
  doc.registerFont('regular', regular as unknown as string);
  doc.registerFont('bold', bold as unknown as string);
  return { doc, done: collect(doc) };
}

/** A glyph as a TrueType subset copies it: its outline bytes and horizontal metrics. */
interface PreparedGlyph {
  buffer: Uint8Array;
  metrics: { advance: number; bearing: number };
}

/** What every document drawn with one weight shares within this process. */
interface PreparedWeight {
  /** pdfkit's per-font layout cache (word → scaled glyph run), shared instead of rebuilt per document. */
  layouts: Record<string, unknown>;
  /** Glyph id → its subset bytes; null for a compound glyph, which fontkit copies itself (it renumbers parts). */
  glyphs: Map<number, PreparedGlyph | null>;
}

/** A new layout cache after this many documents, so that names and serials never pile up in memory. */
const LAYOUTS_PER_GENERATION = 500;
const prepared = new Map<ParsedFont, PreparedWeight>();
let preparedDocuments = 0;

/** The parts of pdfkit's EmbeddedFont and fontkit's TTFSubset (pdfkit 0.20, fontkit 2) the prepared path reaches into. */
interface PdfkitEmbeddedFont {
  font: ParsedFont;
  layoutCache?: Record<string, unknown>;
  subset: TrueTypeSubset;
}
interface TrueTypeSubset {
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
  glyphs: number[];
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[]; bearings: number[] };
  offset: number;
}
interface FontkitInternals {
  getGlyph(gid: number): { _decode(): { numberOfContours: number } | null; advanceWidth: number; _getMetrics(): { leftBearing: number } };
  loca: { offsets: number[]; version: number };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
  _variationProcessor?: unknown;
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  stream: { buffer: Uint8Array };
}

/**
 * Like cjkPdf, for documents drawn by the thousand (certificates): both fonts are set up at once, and what is the
 * same in every document is worked out once per process — the layout of each word (shared by every document
 * instead of each building its own), and each glyph's outline bytes and metrics for the font subset (fontkit would
 * read and decode them again for every file). The subset each file embeds is still made of exactly the glyphs
 * it uses, byte for byte what fontkit writes; no default Helvetica is loaded.
 */
export function preparedCjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const { regular, bold } = cjkFonts();
  const doc = new PDFDocument({ ...options, font: null as unknown as string });
  doc.registerFont('regular', regular as unknown as string);
  doc.registerFont('bold', bold as unknown as string);
  if (++preparedDocuments % LAYOUTS_PER_GENERATION === 0) for (const weight of prepared.values()) weight.layouts = Object.create(null);
  // Fixed order, so every document numbers its fonts alike.
  doc.font('bold').font('regular');
  const families = (doc as unknown as { _fontFamilies: Record<string, PdfkitEmbeddedFont> })._fontFamilies;
  for (const font of new Set([families.bold, families.regular])) share(font);
  return { doc, done: collect(doc) };
}

function share(embedded: PdfkitEmbeddedFont): void {
  let weight = prepared.get(embedded.font);
  if (!weight) {
    weight = { layouts: Object.create(null), glyphs: new Map() };
    prepared.set(embedded.font, weight);
  }
  const { glyphs } = weight;
  const font = embedded.font as unknown as FontkitInternals;
  if (embedded.layoutCache) embedded.layoutCache = weight.layouts;
  const subset = embedded.subset;
  const copy = subset._addGlyph;
  // fontkit's own TTFSubset._addGlyph, minus the reading and decoding, which happen once per glyph per process.
  subset._addGlyph = function (this: TrueTypeSubset, gid: number): number {
    let glyph = glyphs.get(gid);
    if (glyph === undefined) {
      glyph = prepareGlyph(font, gid);
      glyphs.set(gid, glyph);
    }
    if (glyph === null) return copy.call(this, gid);
    this.glyf.push(glyph.buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push(glyph.metrics);
    this.offset += glyph.buffer.length;
    return this.glyf.length - 1;
  };
  if (!font._variationProcessor) subset.encode = () => encodeTrueType(font, subset);
}

/** The font's own bytes of one table, or null when it has none. */
function rawTable(font: FontkitInternals, tag: string): Buffer | null {
  const entry = font.directory.tables[tag];
  return entry ? Buffer.from(font.stream.buffer.buffer, font.stream.buffer.byteOffset + entry.offset, entry.length) : null;
}

/**
 * fontkit's TTFSubset.encode written out by hand, byte for byte the same file (a test compares them): the
 * tables head, hhea, loca, maxp, cvt, prep, glyf, hmtx, fpgm, in that order, directory tag 'true' and zero
 * checksums as fontkit writes them; head, hhea and maxp are the font's own bytes with the three fields a
 * subset changes patched, instead of fontkit deep-copying and re-encoding them for every file.
 */
function encodeTrueType(font: FontkitInternals, subset: TrueTypeSubset): Uint8Array {
  subset.glyf = [];
  subset.offset = 0;
  subset.loca = { offsets: [], version: font.loca.version };
  subset.hmtx = { metrics: [], bearings: [] };
  // Compound glyphs add their parts as they go: the length is read on every turn.
  for (let i = 0; i < subset.glyphs.length; i++) subset._addGlyph(subset.glyphs[i]);
  subset.loca.offsets.push(subset.offset);
  const count = subset.glyf.length;

  const head = Buffer.from(rawTable(font, 'head')!);
  head.writeInt16BE(subset.loca.version, 50); // indexToLocFormat
  const hhea = Buffer.from(rawTable(font, 'hhea')!);
  hhea.writeUInt16BE(subset.hmtx.metrics.length, 34); // numberOfMetrics
  const maxp = Buffer.from(rawTable(font, 'maxp')!);
  maxp.writeUInt16BE(count, 4); // numGlyphs
  const long = subset.loca.version !== 0;
  const loca = Buffer.alloc(subset.loca.offsets.length * (long ? 4 : 2));
  subset.loca.offsets.forEach((offset, i) => (long ? loca.writeUInt32BE(offset, i * 4) : loca.writeUInt16BE(offset >>> 1, i * 2)));
  const hmtx = Buffer.alloc(count * 4);
  subset.hmtx.metrics.forEach(({ advance, bearing }, i) => {
    hmtx.writeUInt16BE(advance, i * 4);
    hmtx.writeInt16BE(bearing, i * 4 + 2);
  });
  const glyf = Buffer.concat(subset.glyf);
  const tables = (
    [
      ['head', head],
      ['hhea', hhea],
      ['loca', loca],
      ['maxp', maxp],
      ['cvt ', rawTable(font, 'cvt ')],
      ['prep', rawTable(font, 'prep')],
      ['glyf', glyf],
      ['hmtx', hmtx],
      ['fpgm', rawTable(font, 'fpgm')],
    ] as [string, Buffer | null][]
  ).filter((table): table is [string, Buffer] => table[1] !== null);

  const directory = Buffer.alloc(12 + 16 * tables.length);
  directory.write('true', 0, 'latin1');
  const power = 2 ** Math.floor(Math.log2(tables.length));
  directory.writeUInt16BE(tables.length, 4);
  directory.writeUInt16BE(power * 16, 6);
  directory.writeUInt16BE(Math.log2(power), 8);
  directory.writeUInt16BE(tables.length * 16 - power * 16, 10);
  let offset = directory.length;
  tables.forEach(([tag, bytes], i) => {
    const at = 12 + 16 * i;
    directory.write(tag, at, 'latin1');
    directory.writeUInt32BE(0, at + 4);
    directory.writeUInt32BE(offset, at + 8);
    directory.writeUInt32BE(bytes.length, at + 12);
    offset += bytes.length;
  });
  return Buffer.concat([directory, ...tables.map(([, bytes]) => bytes)]);
}

function prepareGlyph(font: FontkitInternals, gid: number): PreparedGlyph | null {
  const glyph = font.getGlyph(gid);
  const outline = glyph._decode();
  if ((outline && outline.numberOfContours < 0) || font._variationProcessor) return null;
  const start = font.loca.offsets[gid];
  const stream = font._getTableStream('glyf');
  stream.pos += start;
  return { buffer: stream.readBuffer(font.loca.offsets[gid + 1] - start), metrics: { advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing } };
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
