import { type Key, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { Spinner } from './components';

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('pageOf', { page, pages, total })}>
      <button type="button" className="button secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('prev')}
      </button>
      <span aria-live="polite">{t('pageOf', { page, pages, total })}</span>
      <button type="button" className="button secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}

export interface Paging {
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** Said when there is nothing at all. */
  empty: string;
  /** Another page is loading (the current one stays shown meanwhile). */
  busy?: boolean;
}

/** A paged list's frame: the list (children), the empty state, a spinner while the next page loads, and the pager when there is more than one page. */
export function Paged({ total, page, pageSize, onPage, empty, busy, children }: Paging & { total: number; children: ReactNode }) {
  return (
    <>
      {children}
      {total === 0 && <p className="empty">{empty}</p>}
      {busy && <Spinner />}
      {total > pageSize && <Pager page={page} pageSize={pageSize} total={total} onPage={onPage} />}
    </>
  );
}

export interface Column<Row> {
  /** The column's heading, and each cell's label where the table stacks on a narrow screen. */
  header: string;
  cell: (row: Row) => ReactNode;
  /** The cell that names its row (a row header for assistive technology). */
  rowHeader?: boolean;
  /** A column shown to some users only. */
  hidden?: boolean;
}

export interface TableProps<Row> {
  rows: Row[];
  columns: Array<Column<Row>>;
  rowKey: (row: Row) => Key;
  rowClassName?: (row: Row) => string | undefined;
  testId?: string;
  /** Names the table for screen readers (visually hidden). */
  caption?: string;
  labelledBy?: string;
  className?: string;
}

/** A table whose cells carry their column's name, so it reads as a list of cards on a phone. */
export function DataTable<Row>({ rows, columns, rowKey, rowClassName, testId, caption, labelledBy, className }: TableProps<Row>) {
  const shown = columns.filter((column) => !column.hidden);
  return (
    <table className={`table responsive${className ? ` ${className}` : ''}`} data-testid={testId} aria-labelledby={labelledBy}>
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          {shown.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {shown.map((column) =>
              column.rowHeader ? (
                <th key={column.header} scope="row" data-label={column.header}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.header} data-label={column.header}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One page of a paged answer as a table, with the empty state and the pager. */
export function PagedTable<Row>({ data, ...props }: Paging & Omit<TableProps<Row>, 'rows'> & { data: { items: Row[]; total: number } }) {
  return (
    <Paged total={data.total} {...props}>
      <DataTable rows={data.items} {...props} />
    </Paged>
  );
}

/** One page of a paged answer as a list (each item renders its own <li>), with the empty state and the pager. */
export function PagedList<Item>({
  data,
  items = data.items,
  page,
  pageSize,
  onPage,
  empty,
  emptyTestId,
  className,
  testId,
  children,
}: Omit<Paging, 'busy'> & { data: { items: Item[]; total: number }; items?: Item[]; emptyTestId?: string; className: string; testId?: string; children: (item: Item) => ReactNode }) {
  if (items.length === 0) {
    return (
      <p className="empty" data-testid={emptyTestId}>
        {empty}
      </p>
    );
  }
  return (
    <>
      <ul className={className} data-testid={testId}>
        {items.map(children)}
      </ul>
      {data.total > pageSize && <Pager page={page} pageSize={pageSize} total={data.total} onPage={onPage} />}
    </>
  );
}
