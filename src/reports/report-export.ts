import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import { neutralizeCell, toExcelCsv, toExcelCsvRows } from '../common/csv';
import type { ExportTable } from './dto/report-query.dto';
import type { LearnerRow } from './report-learners.repository';
import type { BranchRow, UnitRow } from './reports.service';

/** One exported table: Chinese headers, Excel column widths, the rows as plain cells (read once, as written). */
export interface ExportSheet {
  title: string;
  header: string[];
  widths: number[];
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>;
}

const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
const time = (d: Date | null) => (d ? shanghai.format(d) : '');
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export const LEARNER_HEADER = ['工号', '姓名', '单位', '支部', '已完成必修', '必修总数', '学时', '补学项数', '完成情况', '结业时间', '最近学习时间'];
export const UNIT_HEADER = ['单位', '报名人数', '已完成人数', '完成率'];
export const BRANCH_HEADER = ['单位', '支部', '报名人数', '已完成人数', '完成率'];

/** The learners table; `rows` may be a stream from the database, turned into cells as the file is written. */
export function learnerSheet(rows: Iterable<LearnerRow> | AsyncIterable<LearnerRow>): ExportSheet {
  async function* cells() {
    for await (const r of rows) {
      yield [r.username, r.name, r.unit ?? '', r.branch ?? '', r.requiredDone, r.requiredTotal, r.creditHours, r.madeUpCount, r.completed ? '已完成' : '未完成', time(r.completedAt), time(r.lastActivityAt)];
    }
  }
  return { title: '学员完成情况', header: LEARNER_HEADER, widths: [14, 12, 24, 24, 12, 10, 8, 10, 10, 18, 18], rows: cells() };
}

export function unitSheet(rows: UnitRow[]): ExportSheet {
  return { title: '按单位统计', header: UNIT_HEADER, widths: [28, 10, 12, 10], rows: rows.map((r) => [r.name, r.enrolled, r.completed, percent(r.rate)]) };
}

export function branchSheet(rows: BranchRow[]): ExportSheet {
  return { title: '按支部统计', header: BRANCH_HEADER, widths: [28, 28, 10, 12, 10], rows: rows.map((r) => [r.unit, r.name, r.enrolled, r.completed, percent(r.rate)]) };
}

export const EXPORT_NAMES: Record<ExportTable, string> = { learners: '学员完成情况', units: '按单位统计', branches: '按支部统计' };

/** Rows per CSV chunk: large enough to keep the per-chunk cost small, small enough to keep memory flat. */
const CSV_ROWS_PER_CHUNK = 500;

/**
 * CSV for Excel: UTF-8 with BOM, CRLF, cells that look like formulas neutralized. A stream that pulls the rows
 * only as the reader takes the bytes (a slow download pauses the rows' source instead of piling up here).
 */
export function sheetCsv(sheet: ExportSheet): Readable {
  async function* chunks() {
    // The header at once: the download starts before the first row is read.
    yield Buffer.from(toExcelCsv(sheet.header, []), 'utf8');
    let batch: unknown[][] = [];
    for await (const row of sheet.rows) {
      batch.push(row);
      if (batch.length === CSV_ROWS_PER_CHUNK) {
        yield Buffer.from(toExcelCsvRows(batch), 'utf8');
        batch = [];
      }
    }
    if (batch.length) yield Buffer.from(toExcelCsvRows(batch), 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * XLSX through exceljs's streaming writer: rows are committed one by one into the response stream, so a
 * 100,000-row table is never held as a whole workbook; while the reader is behind, no more rows are taken from
 * the source (exceljs itself does not wait). Header row in bold, frozen below it, column widths.
 */
export function sheetXlsx(sheet: ExportSheet): Readable {
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheet.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.header.map((header, i) => ({ header, width: sheet.widths[i] ?? 12 }));
  worksheet.getRow(1).font = { bold: true };
  worksheet.getRow(1).commit();
  void (async () => {
    let written = 0;
    for await (const row of sheet.rows) {
      if (stream.destroyed) return; // the download was cancelled: leaving the loop ends the rows' source
      worksheet.addRow(row.map((cell) => (typeof cell === 'number' ? cell : neutralizeCell(cell)))).commit();
      written += 1;
      // Every few rows, let the zip writer catch up, and wait while the reader has not taken what it wrote.
      if (written % XLSX_ROWS_BETWEEN_WAITS === 0) await readerCaughtUp(stream);
    }
    worksheet.commit();
    await workbook.commit();
  })().catch((error: Error) => stream.destroy(error));
  return stream;
}

const XLSX_ROWS_BETWEEN_WAITS = 200;

async function readerCaughtUp(stream: PassThrough): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!stream.writableNeedDrain || stream.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('close', done);
  });
}
