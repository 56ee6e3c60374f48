import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { toExcelCsv } from '../common/csv';
import { sheetCsv, sheetXlsx, type ExportSheet } from './report-export';

/** A row source that counts how far it was read and whether it was closed (as a database stream would be). */
function source(total: number) {
  const seen = { pulled: 0, closed: false };
  async function* rows() {
    try {
      for (let i = 0; i < total; i += 1) {
        seen.pulled += 1;
        yield [`S${String(i).padStart(6, '0')}`, i % 7 === 0 ? '=HYPERLINK("x")' : `学员${i}`, i % 50];
      }
    } finally {
      seen.closed = true;
    }
  }
  const sheet: ExportSheet = { title: '学员完成情况', header: ['工号', '姓名', '已完成必修'], widths: [14, 12, 12], rows: rows() };
  return { sheet, seen };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('report exports stream their rows', () => {
  it('writes the same CSV as the whole-table writer, across chunk boundaries', async () => {
    const { sheet } = source(1203);
    const expected: unknown[][] = [];
    for await (const row of source(1203).sheet.rows) expected.push(row);
    expect((await readAll(sheetCsv(sheet))).toString('utf8')).toBe(toExcelCsv(sheet.header, expected));
    const empty = { ...sheet, rows: [] };
    expect((await readAll(sheetCsv(empty))).toString('utf8')).toBe(toExcelCsv(sheet.header, []));
  });

  it('takes CSV rows only as the reader reads, and closes the source when the download is cancelled', async () => {
    const { sheet, seen } = source(100_000);
    const stream = sheetCsv(sheet);
    // The reader takes one chunk, then stops reading.
    const first = await new Promise<Buffer>((resolve) =>
      stream.once('data', (chunk: Buffer) => {
        stream.pause();
        resolve(chunk);
      }),
    );
    expect(first.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    await settle();
    // A few chunks ahead of the reader at most, nowhere near the 100,000 rows.
    expect(seen.pulled).toBeLessThan(20_000);
    stream.destroy();
    await settle();
    expect(seen.closed).toBe(true);
    expect(seen.pulled).toBeLessThan(20_000);
  });

  it('takes XLSX rows only as the reader reads, and writes a workbook that parses back to every row', async () => {
    const { sheet, seen } = source(30_000);
    const stream = sheetXlsx(sheet);
    await settle();
    // Nobody reads yet: the writer waits once the response buffer is full (a few hundred rows in).
    expect(seen.pulled).toBeLessThan(5_000);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readAll(stream)) as unknown as ArrayBuffer);
    const worksheet = workbook.getWorksheet('学员完成情况')!;
    expect(worksheet.rowCount).toBe(30_001);
    expect(worksheet.getRow(1).values).toEqual([undefined, '工号', '姓名', '已完成必修']);
    expect(worksheet.getRow(2).values).toEqual([undefined, 'S000000', "'=HYPERLINK(\"x\")", 0]);
    expect(worksheet.getRow(30_001).values).toEqual([undefined, 'S029999', '学员29999', 29_999 % 50]);
    expect(seen.closed).toBe(true);
  });

  it('stops taking XLSX rows and closes the source when the download is cancelled', async () => {
    const { sheet, seen } = source(100_000);
    const stream = sheetXlsx(sheet);
    await new Promise((resolve) =>
      stream.once('data', (chunk) => {
        stream.pause();
        resolve(chunk);
      }),
    );
    stream.destroy();
    await settle();
    expect(seen.closed).toBe(true);
    expect(seen.pulled).toBeLessThan(100_000);
  });
});
