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
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
