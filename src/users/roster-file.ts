import ExcelJS from 'exceljs';
import { toExcelCsv } from '../common/csv';
import { readTableFile, type TableFile, type TableRow } from '../common/table-file';

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

export type RosterRow = TableRow<RosterColumn>;
export type RosterTable = TableFile<RosterColumn>;

/** Reads a CSV (UTF-8 with or without BOM, or GBK as Excel in China writes it) or an XLSX roster. */
export function readRosterFile(buffer: Buffer): Promise<RosterTable> {
  return readTableFile(buffer, { columns: ROSTER_COLUMNS, required: REQUIRED_COLUMNS, maxRows: MAX_ROSTER_ROWS });
}
