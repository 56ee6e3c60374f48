import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';

/**
 * Reading a people list from a spreadsheet (the roster of accounts, a branch's member list): CSV in UTF-8 or
 * GBK, or XLSX, with columns recognised by their Chinese or English headers. The errors keep the roster's
 * codes (ROSTER_*): a member list is a roster too, and the web already has words for them.
 */
export interface TableSpec<C extends string> {
  /** Each column with the headers it is recognised by. */
  columns: Record<C, readonly string[]>;
  required: C[];
  maxRows: number;
}

export interface TableRow<C extends string> {
  /** The row number a person sees in Excel: the header is row 1. */
  row: number;
  values: Partial<Record<C, string>>;
}

export interface TableFile<C extends string> {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'gbk';
  rows: TableRow<C>[];
}

/** What importing a people list reports, whatever the list: the file as read and what became of its rows. */
export interface TableImportSummary {
  dryRun: boolean;
  /** True when the changes were written; false for a dry run or a file with bad rows. */
  applied: boolean;
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gbk' | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export const normalizeHeader = (header: string) => header.replace(/^\uFEFF/, '').replace(/[\s_()（）*:：]/g, '').toLowerCase();

/** Reads a CSV (UTF-8 with or without BOM, or GBK as Excel in China writes it) or an XLSX file. */
export async function readTableFile<C extends string>(buffer: Buffer, spec: TableSpec<C>): Promise<TableFile<C>> {
  if (buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    return { format: 'xlsx', rows: toRows(await readXlsx(buffer), spec) };
  }
  if (buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new BadRequestException({ message: '这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后重新上传', code: 'ROSTER_FORMAT' });
  }
  const { text, encoding } = decodeText(buffer);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch {
    throw new BadRequestException({ message: '无法读取该 CSV 文件，请检查文件内容后重新上传', code: 'ROSTER_FORMAT' });
  }
  return { format: 'csv', encoding, rows: toRows(records, spec) };
}

/** UTF-8 when the bytes are valid UTF-8 (BOM or not); otherwise GBK (GB18030, its superset). */
function decodeText(buffer: Buffer): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buffer, 'gb18030'), encoding: 'gbk' };
  }
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new BadRequestException({ message: '无法读取该 Excel 文件，请检查文件是否完整后重新上传', code: 'ROSTER_FORMAT' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BadRequestException({ message: '该 Excel 文件中没有工作表', code: 'ROSTER_FORMAT' });
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    records[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(records, (r) => r ?? []);
}

/** Excel stores 工号 typed as numbers and rich text as runs: read every cell as the text a person sees. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('').trim();
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  return String(value).trim();
}

function toRows<C extends string>(records: string[][], spec: TableSpec<C>): TableRow<C>[] {
  const lookup = new Map<string, C>(
    (Object.entries(spec.columns) as [C, readonly string[]][]).flatMap(([column, names]) => names.map((name) => [normalizeHeader(name), column] as [string, C])),
  );
  const headerIndex = records.findIndex((r) => r.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new BadRequestException({ message: '文件是空的：没有表头，也没有人员', code: 'ROSTER_EMPTY' });
  const columns = records[headerIndex].map((cell) => lookup.get(normalizeHeader(cell)));
  const missing = spec.required.filter((column) => !columns.includes(column));
  if (missing.length) {
    const names = missing.map((column) => `「${spec.columns[column][0]}」`).join('、');
    throw new BadRequestException({ message: `表头缺少${names}列；请使用名册模板的表头`, code: 'ROSTER_COLUMNS' });
  }
  const rows: TableRow<C>[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    if (!record.some((cell) => cell.trim() !== '')) continue;
    const values: Partial<Record<C, string>> = {};
    columns.forEach((column, index) => {
      const cell = (record[index] ?? '').trim();
      if (column && cell !== '') values[column] = cell;
    });
    rows.push({ row: i + 1, values });
  }
  if (rows.length === 0) throw new BadRequestException({ message: '文件只有表头，没有人员', code: 'ROSTER_EMPTY' });
  if (rows.length > spec.maxRows) {
    throw new BadRequestException({ message: `文件中有 ${rows.length} 人，每次最多导入 ${spec.maxRows} 人，请分批导入`, code: 'ROSTER_TOO_LARGE' });
  }
  return rows;
}
