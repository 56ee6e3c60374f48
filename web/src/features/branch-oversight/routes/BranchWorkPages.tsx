import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { download } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { DataTable, Paged, type Column } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { FormError, SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { recentYears, type BranchCompliance, type BranchWorkDetail, type BranchWorkReport, type NormHeading, type UnitCompliance } from '../api';

const PAGE_SIZE = 20;
const STATUS_KEYS: Record<string, MessageKey> = {
  draft: 'bwStatusDraft',
  submitted: 'bwStatusSubmitted',
  accepted: 'bwStatusAccepted',
  returned: 'bwStatusReturned',
};

/** One norm's figures in a cell: accepted of required so far, the overdue ones marked. */
function NormCell({ figures }: { figures?: { required: number; accepted: number; overdue: number } }) {
  const { t } = useI18n();
  if (!figures) return <span className="muted">—</span>;
  return (
    <span className={figures.overdue > 0 ? 'bw-behind' : undefined} title={t('bwCellTitle', figures)}>
      {figures.accepted}/{figures.required}
      {figures.overdue > 0 && <small> {t('bwOverdueShort', { n: figures.overdue })}</small>}
    </span>
  );
}

/**
 * Branch work against the norms (一规): each branch × norm — records accepted of those required so far, overdue —
 * and records waiting for review, rolled up by unit. Unit admins see their unit; the department every unit
 * and may pick one. Drill down to a branch; export the table as XLSX.
 */
export function BranchWorkPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const [params, setParams] = useSearchParams();
  // The filters live in the page's state (a controlled input answers at once) and are mirrored in the address.
  const [filters, setFilters] = useState({
    year: params.get('year') ?? String(recentYears()[0]),
    unitId: params.get('unitId') ?? '',
    behind: params.get('behind') === 'true' ? 'true' : '',
  });
  const { year, unitId } = filters;
  const behind = filters.behind === 'true';
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string[]>();
  const query = { year, ...(unitId ? { unitId } : {}), ...(behind ? { behind: 'true' } : {}) };
  const report = useApi<BranchWorkReport>('/reports/branch-work', { ...query, page, pageSize: PAGE_SIZE });

  const set = (key: keyof typeof filters, value: string) => {
    setFilters((current) => ({ ...current, [key]: value }));
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPage(1);
  };

  async function exportXlsx() {
    setExportError(undefined);
    setExporting(true);
    try {
      await download('/reports/branch-work/export', `支部工作落实情况-${year}.xlsx`, query);
    } catch (e) {
      setExportError([errorText(toApiError(e), t)]);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('bwTitle')}</h1>
        <div className="actions">
          <button type="button" className="button secondary" disabled={exporting} onClick={exportXlsx} data-testid="bw-export">
            {exporting ? <Spinner label={t('bwExporting')} /> : t('bwExport')}
          </button>
        </div>
      </div>
      <p className="muted">{t('bwExplain')}</p>
      <div className="toolbar">
        <SelectField label={t('bwYear')} value={year} options={recentYears().map((y) => [String(y), String(y)])} onChange={(v) => set('year', v)} />
        <label className="check">
          <input type="checkbox" checked={behind} onChange={(e) => set('behind', e.target.checked ? 'true' : '')} data-testid="bw-behind" />
          {t('bwBehindOnly')}
        </label>
        {department && unitId && (
          <button type="button" className="button secondary" onClick={() => set('unitId', '')}>
            {t('bwAllUnits')}
          </button>
        )}
      </div>
      <FormError messages={exportError} />
      <Loaded state={report}>
        {(r) => (
          <>
            <p className="muted" data-testid="bw-as-of">
              {t('bwAsOf', { date: r.asOf })}
            </p>
            <h2>{t('bwByUnit')}</h2>
            <DataTable<UnitCompliance>
              rows={r.byUnit}
              rowKey={(u) => u.unitId}
              testId="bw-units"
              columns={[
                {
                  header: t('bwUnit'),
                  rowHeader: true,
                  cell: (u) =>
                    department && !unitId ? (
                      <button type="button" className="button link" onClick={() => set('unitId', u.unitId)}>
                        {u.name}
                      </button>
                    ) : (
                      u.name
                    ),
                },
                { header: t('bwBranches'), cell: (u) => u.branches },
                { header: t('bwBranchesBehind'), cell: (u) => <span className={u.branchesBehind ? 'bw-behind' : undefined}>{u.branchesBehind}</span> },
                { header: t('bwRequired'), cell: (u) => u.required },
                { header: t('bwAccepted'), cell: (u) => u.accepted },
                { header: t('bwOverdue'), cell: (u) => u.overdue },
                { header: t('bwWaiting'), cell: (u) => u.waitingReview },
              ]}
            />
            <h2>{t('bwByBranch')}</h2>
            <Paged total={r.total} page={page} pageSize={PAGE_SIZE} onPage={setPage} empty={behind ? t('bwNoneBehind') : t('bwNoBranches')} busy={report.isFetching}>
              <DataTable<BranchCompliance> rows={r.branches} rowKey={(b) => b.branchId} testId="bw-branches" columns={branchColumns(r.norms, year, department, t)} />
            </Paged>
          </>
        )}
      </Loaded>
    </section>
  );
}

function branchColumns(norms: NormHeading[], year: string, department: boolean, t: ReturnType<typeof useI18n>['t']): Array<Column<BranchCompliance>> {
  return [
    {
      header: t('bwBranch'),
      rowHeader: true,
      cell: (b) => (
        <Link to={`/oversight/branch-work/branches/${b.branchId}?year=${year}`} data-testid="bw-branch-link">
          {b.name}
        </Link>
      ),
    },
    { header: t('bwUnit'), cell: (b) => b.unit, hidden: !department },
    ...norms.map((n) => ({ header: n.name, cell: (b: BranchCompliance) => <NormCell figures={b.norms.find((f) => f.normId === n.normId)} /> })),
    { header: t('bwOverdue'), cell: (b) => <span className={b.overdue ? 'bw-behind' : undefined}>{b.overdue}</span> },
    { header: t('bwWaiting'), cell: (b) => b.waitingReview },
  ];
}

/** One branch: its figures per norm and every record of the year, whatever its state. */
export function BranchWorkBranchPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const [params] = useSearchParams();
  const year = params.get('year') ?? String(recentYears()[0]);
  const detail = useApi<BranchWorkDetail>(`/reports/branch-work/branches/${id}`, { year });
  return (
    <section>
      <p>
        <Link to={`/oversight/branch-work?year=${year}`}>{t('bwBack')}</Link>
      </p>
      <Loaded state={detail}>
        {(d) => {
          const names = new Map(d.norms.map((n) => [n.kind, n.name]));
          return (
            <>
              <h1 data-testid="bw-branch-name">{d.branch.name}</h1>
              <p className="muted">{t('bwBranchHead', { unit: d.branch.unit, year: d.year, date: d.asOf })}</p>
              <DataTable
                rows={d.branch.norms}
                rowKey={(f) => f.normId}
                testId="bw-branch-norms"
                columns={[
                  { header: t('bwNorm'), rowHeader: true, cell: (f) => d.norms.find((n) => n.normId === f.normId)?.name ?? '' },
                  { header: t('bwRequired'), cell: (f) => f.required },
                  { header: t('bwAccepted'), cell: (f) => f.accepted },
                  { header: t('bwOverdue'), cell: (f) => <span className={f.overdue ? 'bw-behind' : undefined}>{f.overdue}</span> },
                ]}
              />
              <h2>{t('bwRecords', { n: d.records.length })}</h2>
              {d.records.length === 0 ? (
                <p className="empty">{t('bwNoRecords')}</p>
              ) : (
                <DataTable
                  rows={d.records}
                  rowKey={(r) => r.id}
                  testId="bw-records"
                  columns={[
                    { header: t('bwRecordTitle'), rowHeader: true, cell: (r) => <Link to={`/handbook/records/${r.id}`}>{r.title}</Link> },
                    { header: t('bwRecordKind'), cell: (r) => names.get(r.kind) ?? t('bwKindOther') },
                    { header: t('bwHeldAt'), cell: (r) => formatDateTime(r.heldAt, lang) },
                    { header: t('bwRecordStatus'), cell: (r) => t(STATUS_KEYS[r.status] ?? 'bwStatusDraft') },
                  ]}
                />
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
