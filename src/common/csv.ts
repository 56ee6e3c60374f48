import { stringify } from 'csv-stringify/sync';

/** Cells a spreadsheet would run as a formula (= + - @, tab, CR) get a leading apostrophe (OWASP CSV injection). */
export function neutralizeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** CSV for people who open it in Excel: UTF-8 with BOM (so Chinese shows correctly), CRLF, neutralized cells. */
export function toExcelCsv(header: string[], rows: unknown[][]): string {
  return '\uFEFF' + stringify([header, ...rows.map((row) => row.map(neutralizeCell))], { record_delimiter: '\r\n' });
}

/** More rows of a CSV begun by toExcelCsv (no BOM, no header). */
export function toExcelCsvRows(rows: unknown[][]): string {
  return rows.length ? stringify(rows.map((row) => row.map(neutralizeCell)), { record_delimiter: '\r\n' }) : '';
}
