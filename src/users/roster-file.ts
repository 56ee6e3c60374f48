import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { toExcelCsv } from '../common/csv';

/** The columns a roster may carry, each recognised by its Chinese or English header. */
export const ROSTER_COLUMNS = {
  username: ['工号', '学工号', '职工号', '用户名', '账号', 'username', 'staffno', 'staffnumber'],
  name: ['姓名', 'name', 'fullname'],
  unit: ['单位', '所在单位', '二级党组织', '党委', '党总支', 'unit'],
  branch: ['支部', '党支部', '所在支部', '所在党支部', 'branch'],
  email: ['邮箱', '电子邮箱', '电子邮件', 'email', 'e-mail', 'mail'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'phone', 'mobile'],
  role: ['角色', 'role'],
  branchKind: ['支部类型', '支部类别', 'branchkind', 'kind'],
} as const;
export type RosterColumn = keyof typeof ROSTER_COLUMNS;
const REQUIRED_COLUMNS: RosterColumn[] = ['username', 'name'];

export const MAX_ROSTER_ROWS = 20_000;

/** The roster template offered beside the import: the columns it reads, in Chinese, with one example row. */
export const ROSTER_TEMPLATE_HEADER = ['工号', '姓名', '单位', '支部', '邮箱', '角色'];
const ROSTER_TEMPLATE_EXAMPLE = ['20230001', '张伟', '计算机学院党委', '计算机学院教工第一党支部', 'zhangwei@example.edu.cn', '支部书记'];

/** The template as CSV (UTF-8 with BOM, so Excel shows the Chinese) or as an XLSX workbook. */
export async function rosterTemplate(format: 'csv' | 'xlsx'): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(toExcelCsv(ROSTER_TEMPLATE_HEADER, [ROSTER_TEMPLATE_EXAMPLE]), 'utf8');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  sheet.addRow(ROSTER_TEMPLATE_HEADER).font = { bold: true };
  // 工号 as text, so Excel keeps leading zeros.
  sheet.getColumn(1).numFmt = '@';
  sheet.addRow(ROSTER_TEMPLATE_EXAMPLE);
  sheet.columns.forEach((column, i) => (column.width = [12, 10, 20, 28, 28, 10][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface RosterRow {
  /** The row number a person sees in Excel: the header is row 1. */
  row: number;
  values: Partial<Record<RosterColumn, string>>;
}

export interface RosterTable {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'gbk';
  rows: RosterRow[];
}

const normalizeHeader = (header: string) => header.replace(/^\uFEFF/, '').replace(/[\s_()（）*:：]/g, '').toLowerCase();
const HEADER_LOOKUP = new Map<string, RosterColumn>(
  (Object.entries(ROSTER_COLUMNS) as [RosterColumn, readonly string[]][]).flatMap(([column, names]) =>
    names.map((name) => [normalizeHeader(name), column] as [string, RosterColumn]),
  ),
);

/** Reads a CSV (UTF-8 with or without BOM, or GBK as Excel in China writes it) or an XLSX roster. */
export async function readRosterFile(buffer: Buffer): Promise<RosterTable> {
  if (buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    return { format: 'xlsx', rows: toRows(await readXlsx(buffer)) };
  }
  if (buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new BadRequestException({ message: '这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后重新上传', code: 'ROSTER_FORMAT' });
  }
  const { text, encoding } = decodeText(buffer);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new BadRequestException({ message: '无法读取该 CSV 文件，请检查文件内容后重新上传', code: 'ROSTER_FORMAT' });
  }
  return { format: 'csv', encoding, rows: toRows(records) };
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
  } catch (error) {
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

function toRows(records: string[][]): RosterRow[] {
  const headerIndex = records.findIndex((r) => r.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new BadRequestException({ message: '文件是空的：没有表头，也没有人员', code: 'ROSTER_EMPTY' });
  const header = records[headerIndex];
  const columns = header.map((cell) => HEADER_LOOKUP.get(normalizeHeader(cell)));
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length) {
    const names = missing.map((column) => `「${ROSTER_COLUMNS[column][0]}」`).join('、');
    throw new BadRequestException({ message: `表头缺少${names}列；请使用名册模板的表头`, code: 'ROSTER_COLUMNS' });
  }
  const rows: RosterRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    if (!record.some((cell) => cell.trim() !== '')) continue;
    const values: RosterRow['values'] = {};
    columns.forEach((column, index) => {
      const cell = (record[index] ?? '').trim();
      if (column && cell !== '') values[column] = cell;
    });
    rows.push({ row: i + 1, values });
  }
  if (rows.length === 0) throw new BadRequestException({ message: '文件只有表头，没有人员', code: 'ROSTER_EMPTY' });
  if (rows.length > MAX_ROSTER_ROWS) {
    throw new BadRequestException({ message: `文件中有 ${rows.length} 人，每次最多导入 ${MAX_ROSTER_ROWS} 人，请分批导入`, code: 'ROSTER_TOO_LARGE' });
  }
  return rows;
}
