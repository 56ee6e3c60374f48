import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
