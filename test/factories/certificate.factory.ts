import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { recountFigures } from '../support/kept-figures';

const run = promisify(execFile);

/**
 * Records these learners as having completed the course with `creditHours` 学时, as the progress engine
 * would once every required activity is done (the engine itself is tested in progress.e2e-spec.ts).
 */
export async function markCompleted(ds: DataSource, courseId: string, userIds: string[], creditHours = 6.5): Promise<void> {
  if (!userIds.length) return;
  await ds.query(
    `INSERT INTO course_progress (course_id, user_id, required_done, required_total, credit_hours, completed, completed_at)
     VALUES ${userIds.map(() => '(?, ?, 5, 5, ?, 1, NOW(3))').join(', ')}
     ON DUPLICATE KEY UPDATE required_done = required_total, credit_hours = VALUES(credit_hours), completed = 1, completed_at = NOW(3)`,
    userIds.flatMap((id) => [courseId, id, creditHours]),
  );
  await recountFigures(ds, courseId);
}

/** What `pdftotext` reads from a PDF (poppler-utils). */
export async function pdfText(pdf: Buffer): Promise<string> {
  return withTempDir(async (dir) => {
    await writeFile(join(dir, 'c.pdf'), pdf);
    return (await run('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'])).stdout;
  });
}

/**
 * The text in the PDF's QR code, decoded with jsQR: from an embedded image (`pdfimages`) if there is one, else
 * from the first page rasterized with `pdftoppm` (a QR code drawn as vector squares).
 */
export async function pdfQrText(pdf: Buffer): Promise<string | null> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PNG } = require('pngjs') as { PNG: { sync: { read: (data: Buffer) => { data: Buffer; width: number; height: number } } } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsQR = require('jsqr') as typeof import('jsqr').default;
  const decode = async (dir: string): Promise<string | null> => {
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.png')).sort()) {
      const png = PNG.sync.read(await readFile(join(dir, file)));
      const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
      if (found) return found.data;
    }
    return null;
  };
  return withTempDir(async (dir) => {
    await writeFile(join(dir, 'c.pdf'), pdf);
    await run('pdfimages', ['-png', join(dir, 'c.pdf'), join(dir, 'img')]);
    const fromImage = await decode(dir);
    if (fromImage !== null) return fromImage;
    const pages = join(dir, 'pages');
    await mkdir(pages);
    await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', join(dir, 'c.pdf'), join(pages, 'page')]);
    return decode(pages);
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'certificate-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
