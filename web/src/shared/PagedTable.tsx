import { type ReactNode } from 'react';
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

/** A paginated table's frame: the table (children), "none" when empty, and the pager. */
export function PagedTable({ total, empty, page, pageSize, onPage, children, busy }: { total: number; empty: string; page: number; pageSize: number; onPage: (page: number) => void; children: ReactNode; busy?: boolean }) {
  return (
    <>
      {children}
      {total === 0 && <p className="empty">{empty}</p>}
      {busy && <Spinner />}
      {total > pageSize && <Pager page={page} pageSize={pageSize} total={total} onPage={onPage} />}
    </>
  );
}
