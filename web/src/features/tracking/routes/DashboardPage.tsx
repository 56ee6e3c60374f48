import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { download, type Page } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { DataTable, PagedTable, Pager } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Chart, CHART_GREY, CHART_RED, type ChartOption, percent } from '../../../shared/chart';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDate, formatDateTime, formatHours } from '../../../shared/format';
import { Field, FormError, SearchBox } from '../../../shared/forms';
import { TYPE_KEYS } from '../../../shared/labels';
import { useApi } from '../../../shared/queries';
import { useCourse } from '../../courses/api';
import type { Schema } from '../../../api/types';

export type CompletionReport = Schema<'CompletionReportResponse'>;
type LearnerRow = Schema<'LearnerReportRowResponse'>;
type BranchRanking = Schema<'BranchRankingResponse'>;

const PAGE_SIZE = 20;
const SORTS = ['username', 'name', 'unit', 'branch', 'requiredDone', 'creditHours', 'lastActivityAt', 'completedAt'] as const;
const SORT_KEYS: Record<(typeof SORTS)[number], MessageKey> = {
  username: 'colUsername',
  name: 'colPersonName',
  unit: 'colUnit',
  branch: 'colBranch',
  requiredDone: 'dashRequiredDone',
  creditHours: 'dashCreditHours',
  lastActivityAt: 'dashLastActivity',
  completedAt: 'dashCompletedAt',
};

/** Completion tracking of one course: the department (all units), unit admins (their unit), the course's instructors. */
export function DashboardPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const ownUnit = me?.role === 'admin' && me.unitId ? me.unitId : '';
  const [unitId, setUnitId] = useState(ownUnit);
  const course = useCourse(id);
  const report = useApi<CompletionReport>(`/reports/courses/${id}/completion`, { unitId: unitId || undefined });
  // The unit choice comes from the unfiltered report (instructors cannot list units through the organization API).
  const all = useApi<CompletionReport>(`/reports/courses/${id}/completion`);

  return (
    <section>
      <div className="page-head">
        <h1>
          {t('dashTitle')}
          {course.data && <span className="subtitle">{course.data.title}</span>}
        </h1>
        <div className="actions">
          <Link className="button secondary" to={`/courses/${id}`}>
            {t('openSchedule')}
          </Link>
          {me?.role === 'admin' && (
            <Link className="button secondary" to={`/courses/${id}/certificates`}>
              {t('certTitle')}
            </Link>
          )}
        </div>
      </div>
      {!ownUnit && all.data && all.data.byUnit.length > 1 && (
        <div className="toolbar">
          <Field label={t('dashUnit')}>
            {(p) => (
              <select {...p} value={unitId} onChange={(e) => setUnitId(e.target.value)}>
                <option value="">{t('dashAllUnits')}</option>
                {all.data!.byUnit.filter((u) => u.unitId).map((u) => (
                  <option key={u.unitId} value={u.unitId!}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <Loaded state={report}>
        {(data) => (
          <>
            {report.isFetching && <Spinner />}
            <Totals data={data} />
            {data.progress.started ? <ProgressCharts data={data} /> : <EmptyProgress />}
            <Charts data={data} />
            {(unitId || ownUnit) && <UnitView courseId={id} unitId={unitId || ownUnit} />}
            <LearnerTable courseId={id} report={data} unitId={unitId} />
            <p className="muted">{data.source === 'snapshot' ? t('dashSnapshot') : t('dashLive')} · {formatDateTime(new Date().toISOString(), lang)}</p>
          </>
        )}
      </Loaded>
    </section>
  );
}

function Totals({ data }: { data: CompletionReport }) {
  const { t } = useI18n();
  const items: Array<[string, string, string]> = [
    [t('dashEnrolled'), String(data.enrolled), 'total-enrolled'],
    [t('dashCompleted'), String(data.completed), 'total-completed'],
    [t('dashAvgRequired'), data.progress.average.required === null ? t('dashNotRequired') : percent(data.progress.average.required), 'total-avg-required'],
    [t('dashAvgHours'), data.progress.average.creditHours === null ? t('dashNotRequired') : percent(data.progress.average.creditHours), 'total-avg-hours'],
    [t('dashRate'), percent(data.rate), 'total-rate'],
    [t('dashOverdueActivities'), String(data.overdue.activities), 'total-overdue-activities'],
    [t('dashOverdueMissing'), String(data.overdue.missing), 'total-overdue-missing'],
  ];
  return (
    <dl className="totals" data-testid="totals">
      {items.map(([label, value, testId]) => (
        <div key={testId} className="total">
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function barOption(names: string[], rates: number[], horizontal = true): ChartOption {
  const category = { type: 'category', data: names, axisLabel: { width: 110, overflow: 'truncate' } };
  const value = { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v: number) => `${v}%` },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: [{ type: 'bar', data: rates.map((r) => Math.round(r * 1000) / 10), itemStyle: { color: CHART_RED }, barMaxWidth: 22 }],
  };
}

/** Before anyone has done anything: what will appear here, and when. */
function EmptyProgress() {
  const { t } = useI18n();
  return (
    <section className="panel empty-state" data-testid="dash-empty" aria-labelledby="dash-empty-title">
      <h2 id="dash-empty-title">{t('dashEmptyTitle')}</h2>
      <p>{t('dashEmptyBody')}</p>
    </section>
  );
}

/** Progress that means something from the first week: averages by unit and branch, by week, the spread of learners, overdue work. */
function ProgressCharts({ data }: { data: CompletionReport }) {
  const { t, lang } = useI18n();
  const progress = data.progress;
  const share = (p: Schema<'AverageProgressResponse'>) => p.required ?? p.creditHours ?? 0;
  const options = useMemo(() => {
    const ranked = [...data.byBranch].sort((a, b) => share(b.progress) - share(a.progress));
    const shown = ranked.length > 10 ? [...ranked.slice(0, 5), ...ranked.slice(-5)] : ranked;
    const bucketLabel = (b: { from: number; to: number }) => (b.to === 0 ? t('dashBucketZero') : b.from === 100 ? t('dashBucketFull') : t('dashBucketRange', { from: b.from, to: b.to }));
    return {
      units: barOption(data.byUnit.map((u) => u.name), data.byUnit.map((u) => share(u.progress))),
      branches: barOption(shown.map((b) => b.name), shown.map((b) => share(b.progress))),
      weekly: {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v: number) => `${v}%` },
        xAxis: { type: 'category', data: progress.weekly.map((w) => formatDate(`${w.weekStart}T00:00:00+08:00`, lang)) },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [{ type: 'line', data: progress.weekly.map((w) => (w.required === null ? null : Math.round(w.required * 1000) / 10)), itemStyle: { color: CHART_RED } }],
      } as ChartOption,
      distribution: {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: { type: 'category', data: progress.distribution.map(bucketLabel) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', data: progress.distribution.map((b) => b.learners), itemStyle: { color: CHART_RED }, barMaxWidth: 36 }],
      } as ChartOption,
      bucketLabel,
    };
  }, [data, lang, t]);
  const rows = (n: number) => Math.max(160, n * 30 + 40);
  const rate = (value: number | null) => (value === null ? t('dashNotRequired') : percent(value));
  const overdue = data.overdueByUnit.filter((u) => u.overdueItems > 0 || u.learnersOverdue > 0);
  // With nothing overdue, say whether nothing is due yet or everything due is done (late in a period, the latter).
  const pastDue = data.byActivity.some((a) => a.required && a.dueAt !== null && Date.parse(a.dueAt) < Date.now());
  return (
    <div className="chart-grid" data-testid="progress-charts">
      <figure className="panel chart-panel">
        <figcaption>{t('dashProgressByUnit')}</figcaption>
        <Chart option={options.units} label={t('dashProgressByUnit')} height={rows(data.byUnit.length)} testId="chart-progress-units" />
        <DataTable testId="progress-units" caption={t('dashProgressByUnit')} rows={data.byUnit} rowKey={(u) => u.unitId ?? 'none'}
          columns={[
            { header: t('dashColUnit'), rowHeader: true, cell: (u) => u.name },
            { header: t('dashColLearners'), cell: (u) => u.enrolled },
            { header: t('dashAvgRequired'), cell: (u) => rate(u.progress.required) },
            { header: t('dashAvgHours'), cell: (u) => rate(u.progress.creditHours) },
          ]}
        />
        {data.byUnit.length > 1 && !progress.unitsDiffer && <p className="muted">{t('dashUnitsEqual')}</p>}
      </figure>
      <figure className="panel chart-panel">
        <figcaption>{t('dashProgressWeekly')}</figcaption>
        <Chart option={options.weekly} label={t('dashProgressWeekly')} testId="chart-progress-weekly" />
        {/* The line's figures, for screen readers and for whoever wants the numbers. */}
        <details className="chart-data">
          <summary>{t('dashWeeklyFigures')}</summary>
          <DataTable testId="progress-weekly" caption={t('dashProgressWeekly')} rows={progress.weekly} rowKey={(w) => w.weekStart}
            columns={[
              { header: t('dashColWeekStart'), rowHeader: true, cell: (w) => formatDate(`${w.weekStart}T00:00:00+08:00`, lang) },
              { header: t('dashAvgRequired'), cell: (w) => rate(w.required) },
            ]}
          />
        </details>
      </figure>
      <figure className="panel chart-panel">
        <figcaption>{t('dashDistribution')}</figcaption>
        <Chart option={options.distribution} label={t('dashDistribution')} testId="chart-distribution" />
        <ul className="distribution" data-testid="distribution">
          {progress.distribution.map((b) => (
            <li key={b.bucket}>
              <span>{options.bucketLabel(b)}</span> <strong>{t('dashDistributionLearners', { n: b.learners })}</strong>
            </li>
          ))}
        </ul>
      </figure>
      <figure className="panel chart-panel">
        <figcaption>{t('dashProgressByBranch')}</figcaption>
        {progress.branchesDiffer ? (
          <Chart option={options.branches} label={t('dashProgressByBranch')} height={rows(Math.min(10, data.byBranch.length))} testId="chart-progress-branches" />
        ) : (
          <p className="muted" data-testid="branches-equal">
            {t('dashAllEqual', { value: percent(share(progress.average)) })}
          </p>
        )}
      </figure>
      <figure className="panel chart-panel chart-wide">
        <figcaption>{t('dashOverdueByUnit')}</figcaption>
        {overdue.length ? (
          <DataTable testId="overdue-units" caption={t('dashOverdueByUnit')} rows={overdue} rowKey={(u) => u.unitId ?? 'none'}
            columns={[
              { header: t('dashColUnit'), rowHeader: true, cell: (u) => u.name },
              { header: t('dashColLearners'), cell: (u) => u.enrolled },
              { header: t('dashOverdueLearners'), cell: (u) => u.learnersOverdue },
              { header: t('dashOverdueItems'), cell: (u) => u.overdueItems },
            ]}
          />
        ) : (
          <p className="muted" data-testid="overdue-none">{pastDue ? t('dashOverdueAllDone') : t('dashNoOverdue')}</p>
        )}
        <p className="muted">{t('dashOverdueNote')}</p>
      </figure>
    </div>
  );
}

function Charts({ data }: { data: CompletionReport }) {
  const { t, lang } = useI18n();
  const rankable = new Set(data.byBranch.map((b) => b.rate)).size > 1;
  const options = useMemo(() => {
    const ranked = [...data.byBranch].sort((a, b) => b.rate - a.rate);
    const top = ranked.slice(0, 5);
    const bottom = ranked.length > 5 ? ranked.slice(-5).reverse() : [];
    return {
      units: barOption(data.byUnit.map((u) => u.name), data.byUnit.map((u) => u.rate)),
      top: barOption(top.map((b) => b.name), top.map((b) => b.rate)),
      bottom: bottom.length ? barOption(bottom.map((b) => b.name), bottom.map((b) => b.rate)) : null,
      activities: barOption(data.byActivity.map((a) => a.title), data.byActivity.map((a) => a.rate)),
      weekly: {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v: number) => `${v}%` },
        xAxis: { type: 'category', data: data.weekly.map((w) => formatDate(w.endsAt, lang)) },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [{ type: 'line', data: data.weekly.map((w) => Math.round(w.rate * 1000) / 10), itemStyle: { color: CHART_RED }, areaStyle: { color: CHART_GREY, opacity: 0.15 } }],
      } as ChartOption,
    };
  }, [data, lang]);
  const rows = (n: number) => Math.max(160, n * 30 + 40);
  return (
    <div className="chart-grid">
      <figure className="panel chart-panel">
        <figcaption>{t('dashByUnit')}</figcaption>
        <Chart option={options.units} label={t('dashByUnit')} height={rows(data.byUnit.length)} testId="chart-units" />
      </figure>
      <figure className="panel chart-panel">
        <figcaption>{t('dashWeekly')}</figcaption>
        {data.weekly.length ? <Chart option={options.weekly} label={t('dashWeekly')} testId="chart-weekly" /> : <p className="empty">{t('none')}</p>}
      </figure>
      {rankable ? (
        <figure className="panel chart-panel">
          <figcaption>{t('dashTopBranches')}</figcaption>
          <Chart option={options.top} label={t('dashTopBranches')} height={rows(Math.min(5, data.byBranch.length))} testId="chart-top" />
        </figure>
      ) : (
        <p className="muted" data-testid="completion-equal">
          {t('dashRankAllEqual', { rate: percent(data.rate) })}
        </p>
      )}
      {rankable && options.bottom && (
        <figure className="panel chart-panel">
          <figcaption>{t('dashBottomBranches')}</figcaption>
          <Chart option={options.bottom} label={t('dashBottomBranches')} height={rows(5)} testId="chart-bottom" />
        </figure>
      )}
      <figure className="panel chart-panel chart-wide">
        <figcaption>{t('dashByActivity')}</figcaption>
        <Chart option={options.activities} label={t('dashByActivity')} height={rows(data.byActivity.length)} testId="chart-activities" />
        <DataTable testId="activity-table" caption={t('dashByActivity')} rows={data.byActivity} rowKey={(a) => a.activityId}
          columns={[
            {
              header: t('colActivity'),
              rowHeader: true,
              cell: (a) => (
                <>
                  {a.title} {a.required && <span className="tag tag-required">{t('required')}</span>}
                </>
              ),
            },
            { header: t('colType'), cell: (a) => (TYPE_KEYS[a.type] ? t(TYPE_KEYS[a.type]) : a.type) },
            { header: t('dashDone'), cell: (a) => `${a.done} · ${percent(a.rate)}` },
            { header: t('dashOverdueCol'), cell: (a) => a.overdue },
          ]}
        />
      </figure>
    </div>
  );
}

/** A unit's branches ranked, with the learners behind in each; the unit's standing only in aggregate. */
function UnitView({ courseId, unitId }: { courseId: string; unitId: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const ranking = useApi<BranchRanking>(`/reports/courses/${courseId}/branches`, { unitId, page, pageSize: 10 });
  return (
    <section className="panel" aria-labelledby="unit-view-title">
      <h2 id="unit-view-title">{t('dashUnitView')}</h2>
      <Loaded state={ranking}>
        {(data) => (
          <>
            {data.unitStanding && (
              <p data-testid="unit-standing">
                {t('dashStanding', { rank: data.unitStanding.rank, of: data.unitStanding.of, rate: percent(data.unitStanding.rate), overall: percent(data.unitStanding.overallRate) })}
              </p>
            )}
            {!data.ranked && <p className="muted">{t('dashRankAllEqual', { rate: percent(data.items[0]?.rate ?? 0) })}</p>}
            <ol className={data.ranked ? 'ranking' : 'ranking unranked'} data-testid="branch-ranking">
              {data.items.map((b) => (
                <li key={b.branchId ?? 'none'}>
                  <strong>{data.ranked ? `${b.rank}. ${b.name}` : b.name}</strong>{' '}
                  <span className="muted">
                    {b.completed}/{b.enrolled} · {percent(b.rate)}
                  </span>
                  {b.behind.length > 0 && (
                    <p className="behind">
                      {t('dashBehindNames')}：{b.behind.map((p) => p.name).join('、')}
                    </p>
                  )}
                </li>
              ))}
            </ol>
            <Pager page={page} pageSize={10} total={data.total} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function LearnerTable({ courseId, report, unitId }: { courseId: string; report: CompletionReport; unitId: string }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<'all' | 'behind' | 'completed'>('all');
  const [branchId, setBranchId] = useState('');
  const [activityId, setActivityId] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<(typeof SORTS)[number]>('username');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const branches = report.byBranch.filter((b) => b.branchId && (!unitId || b.unitId === unitId));
  const filters = { status, unitId: unitId || undefined, branchId: branchId || undefined, activityId: activityId || undefined, q: q || undefined, sort, order };
  const list = useApi<Page<LearnerRow>>(`/reports/courses/${courseId}/learners`, { ...filters, page, pageSize: PAGE_SIZE });
  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  async function exportFile(format: 'csv' | 'xlsx', table: 'learners' | 'units' | 'branches') {
    const key = `${table}-${format}`;
    setExporting(key);
    setExportError(undefined);
    try {
      const query = table === 'learners' ? filters : { unitId: filters.unitId };
      await download(`/reports/courses/${courseId}/export`, `report-${table}-${courseId}.${format}`, { ...query, format, table });
    } catch (e) {
      setExportError(errorText(toApiError(e), t));
    } finally {
      setExporting(undefined);
    }
  }

  const exports: Array<['csv' | 'xlsx', 'learners' | 'units' | 'branches', MessageKey]> = [
    ['csv', 'learners', 'dashExportLearnersCsv'],
    ['xlsx', 'learners', 'dashExportLearnersXlsx'],
    ['csv', 'units', 'dashExportUnitsCsv'],
    ['xlsx', 'units', 'dashExportUnitsXlsx'],
    ['csv', 'branches', 'dashExportBranchesCsv'],
    ['xlsx', 'branches', 'dashExportBranchesXlsx'],
  ];

  return (
    <section aria-labelledby="learners-title">
      <h2 id="learners-title">{t('dashLearners')}</h2>
      <div className="toolbar">
        <Field label={t('dashStatus')}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => change(setStatus)(e.target.value as typeof status)}>
              <option value="all">{t('dashStatusAll')}</option>
              <option value="behind">{t('dashStatusBehind')}</option>
              <option value="completed">{t('dashStatusCompleted')}</option>
            </select>
          )}
        </Field>
        <Field label={t('colBranch')}>
          {(p) => (
            <select {...p} value={branchId} onChange={(e) => change(setBranchId)(e.target.value)}>
              <option value="">{t('dashAllBranches')}</option>
              {branches.map((b) => (
                <option key={b.branchId} value={b.branchId!}>
                  {b.name}（{b.unit}）
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dashActivityFilter')}>
          {(p) => (
            <select {...p} value={activityId} onChange={(e) => change(setActivityId)(e.target.value)}>
              <option value="">{t('dashAnyActivity')}</option>
              {report.byActivity.map((a) => (
                <option key={a.activityId} value={a.activityId}>
                  {a.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dashSort')}>
          {(p) => (
            <select {...p} value={sort} onChange={(e) => change(setSort)(e.target.value as typeof sort)}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(SORT_KEYS[s])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('dashOrder')}>
          {(p) => (
            <select {...p} value={order} onChange={(e) => change(setOrder)(e.target.value as typeof order)}>
              <option value="asc">{t('dashAsc')}</option>
              <option value="desc">{t('dashDesc')}</option>
            </select>
          )}
        </Field>
        <SearchBox value={q} onSearch={change(setQ)} placeholder={t('dashSearchPlaceholder')} />
      </div>
      <div className="actions" role="group" aria-label={t('dashExport')}>
        {exports.map(([format, table, label]) => (
          <button key={`${table}-${format}`} type="button" className="button secondary small" disabled={Boolean(exporting)} onClick={() => exportFile(format, table)}>
            {exporting === `${table}-${format}` ? <Spinner label={t('dashExporting')} /> : t(label)}
          </button>
        ))}
      </div>
      <FormError messages={exportError ? [exportError] : undefined} />
      <Loaded state={list}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} busy={list.isFetching} testId="learners" caption={t('dashLearners')} rowKey={(l) => l.userId}
            columns={[
              { header: t('colUsername'), cell: (l) => l.username },
              { header: t('colPersonName'), rowHeader: true, cell: (l) => l.name },
              { header: t('colUnit'), cell: (l) => l.unit ?? '—' },
              { header: t('colBranch'), cell: (l) => l.branch ?? '—' },
              { header: t('dashRequiredDone'), cell: (l) => `${l.requiredDone}/${l.requiredTotal}` },
              { header: t('dashCreditHours'), cell: (l) => formatHours(l.creditHours) },
              { header: t('dashLastActivity'), cell: (l) => formatDateTime(l.lastActivityAt, lang) },
              {
                header: t('status'),
                cell: (l) =>
                  l.completed ? (
                    <span className="badge state-completed">
                      {t('dashStatusCompleted')} {formatDate(l.completedAt, lang)}
                    </span>
                  ) : (
                    <span className="badge badge-overdue">{t('dashStatusBehind')}</span>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
