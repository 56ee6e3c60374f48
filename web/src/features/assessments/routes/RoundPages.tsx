import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, download } from '../../../api/client';
import { useI18n, type Translate } from '../../../i18n';
import { Chart, CHART_GREY, CHART_RED, type ChartOption } from '../../../shared/chart';
import { DataTable, Paged } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Dialog, Loaded, ProgressBar, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Field, FormError, Notice, SelectField, useFormSubmit } from '../../../shared/forms';
import { apiKey, useApi, useInvalidate } from '../../../shared/queries';
import {
  ADJUSTMENT_STATE_KEYS,
  AUDIT_KEYS,
  beijingYear,
  GRADE_KEYS,
  ROUND_STATE_KEYS,
  scoreText,
  type Adjustment,
  type AuditEntry,
  type BranchAssessment,
  type IndicatorSpread,
  type RankedBranch,
  type Round,
  type RoundResults,
  type UnitSummary,
} from '../api';
import { Breakdown, GradeBadge, ScoreCard, SheetButton } from '../Breakdown';

const PAGE_SIZE = 20;
/** How often a round being counted is asked for its progress. */
const POLL_MS = 1000;

function useDepartment(): boolean {
  const { me } = useAuth();
  return me?.role === 'admin' && !me.unitId;
}

function RoundState({ state }: { state: Round['state'] }) {
  const { t } = useI18n();
  return <span className={`badge round-${state}`}>{t(ROUND_STATE_KEYS[state])}</span>;
}

/** A round, asked again every second while it is being counted. */
function useRound(id: string) {
  return useQuery({
    queryKey: apiKey(`/assessments/rounds/${id}`),
    queryFn: () => api<Round>(`/assessments/rounds/${id}`),
    refetchInterval: (query) => (query.state.data?.state === 'computing' ? POLL_MS : false),
  });
}

// ---- The rounds (考核轮次) ----

export function RoundsPage() {
  const { t, lang } = useI18n();
  const department = useDepartment();
  const rounds = useQuery({
    queryKey: apiKey('/assessments/rounds'),
    queryFn: () => api<{ items: Round[] }>('/assessments/rounds'),
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.state === 'computing') ? POLL_MS : false),
  });
  return (
    <section>
      <div className="page-head">
        <h1>{t('asTitle')}</h1>
        <div className="actions">
          <Link className="button secondary" to="/assessments/schemes">
            {department ? t('asSchemeEditLink') : t('asSchemeViewLink')}
          </Link>
        </div>
      </div>
      <p className="muted">{department ? t('asIntroDept') : t('asIntroUnit')}</p>
      {department && <StartRound />}
      <h2>{t('asRounds')}</h2>
      <Loaded state={rounds}>
        {(r) =>
          r.items.length === 0 ? (
            <p className="empty">{t('asNoRounds')}</p>
          ) : (
            <DataTable<Round>
              rows={r.items}
              rowKey={(x) => x.id}
              testId="as-rounds"
              columns={[
                {
                  header: t('asRound'),
                  rowHeader: true,
                  cell: (x) => <Link to={`/assessments/rounds/${x.id}`}>{t('asRoundName', { year: x.year })}</Link>,
                },
                { header: t('asSchemeYear'), cell: (x) => x.schemeYear },
                {
                  header: t('asState'),
                  cell: (x) => (
                    <>
                      <RoundState state={x.state} />
                      {x.state === 'computing' && <span className="muted"> {t('asProgressLine', { done: x.done, total: x.total })}</span>}
                    </>
                  ),
                },
                { header: t('asStartedAt'), cell: (x) => formatDateTime(x.createdAt, lang) },
                { header: t('asPublishedCol'), cell: (x) => formatDateTime(x.publishedAt, lang) },
              ]}
            />
          )
        }
      </Loaded>
    </section>
  );
}

function StartRound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const now = beijingYear();
  const [year, setYear] = useState(String(now - 1));
  const [schemeYear, setSchemeYear] = useState(String(now - 1));
  const form = useFormSubmit(['year', 'schemeYear'], { codeFields: { SCHEME_NOT_FOUND: 'schemeYear', ROUND_YEAR_PUBLISHED: 'year' } });
  const years = [now, now - 1, now - 2, now - 3].map((y) => [String(y), t('bwYearN', { year: y })] as [string, string]);
  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      const started = await api<{ id: string }>('/assessments/rounds', { method: 'POST', body: { year: Number(year), schemeYear: Number(schemeYear) } });
      await invalidate('/assessments/rounds');
      navigate(`/assessments/rounds/${started.id}`);
    });
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={t('asStart')} data-testid="as-start">
      <h2>{t('asStart')}</h2>
      <p className="muted">{t('asStartHint')}</p>
      <div className="inline-form">
        <SelectField label={t('asYearAssessed')} value={year} options={years} onChange={setYear} errors={form.fields.year} />
        <SelectField label={t('asSchemeYear')} value={schemeYear} options={[[String(now + 1), t('bwYearN', { year: now + 1 })], ...years]} onChange={setSchemeYear} errors={form.fields.schemeYear} />
        <button type="submit" className="button primary" disabled={form.busy}>
          {form.busy ? <Spinner label={t('asStarting')} /> : t('asStartButton')}
        </button>
      </div>
      <FormError messages={form.other} />
    </form>
  );
}

// ---- One round: progress, results, adjustments, publishing ----

export function RoundPage() {
  const { t, lang } = useI18n();
  const { id = '' } = useParams();
  const department = useDepartment();
  const round = useRound(id);
  const invalidate = useInvalidate();
  const [retryError, setRetryError] = useState<string[]>();
  async function retry() {
    setRetryError(undefined);
    try {
      await api(`/assessments/rounds/${id}/retry`, { method: 'POST' });
      await invalidate(`/assessments/rounds/${id}`);
    } catch (e) {
      setRetryError([errorText(toApiError(e), t)]);
    }
  }
  return (
    <section>
      <p>
        <Link to="/assessments">{t('asBackToRounds')}</Link>
      </p>
      <Loaded state={round}>
        {(r) => (
          <>
            <div className="page-head">
              <h1>
                {t('asRoundName', { year: r.year })} <RoundState state={r.state} />
              </h1>
            </div>
            <p className="muted">{t('asRoundHead', { schemeYear: r.schemeYear, asOf: formatDateTime(r.asOf, lang) })}</p>
            {r.state === 'computing' && (
              <div className="panel" data-testid="as-progress">
                <p>{r.total === 0 ? t('asPreparing') : t('asComputing', { done: r.done, total: r.total })}</p>
                <ProgressBar label={t('asProgressLabel')} value={r.done} max={Math.max(r.total, 1)} />
              </div>
            )}
            {r.state === 'failed' && (
              <div className="alert alert-error" role="alert" data-testid="as-failed">
                <p>{t('asFailed', { done: r.done, total: r.total })}</p>
                {department && (
                  <button type="button" className="button secondary" onClick={retry}>
                    {t('asRetry')}
                  </button>
                )}
              </div>
            )}
            <FormError messages={retryError} />
            {(r.state === 'computed' || r.state === 'published') && (
              <>
                {r.state === 'published' ? (
                  <Notice>{t('asPublishedNotice', { date: formatDateTime(r.publishedAt, lang) })}</Notice>
                ) : (
                  <p className="alert alert-warn">{t('asProvisionalNotice')}</p>
                )}
                {department && r.state === 'computed' && <PublishPanel round={r} />}
                <Adjustments round={r} />
                <Results round={r} />
              </>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function PublishPanel({ round }: { round: Round }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>();
  async function publish() {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/assessments/rounds/${round.id}/publish`, { method: 'POST' });
      setAsking(false);
      await invalidate(`/assessments/rounds`);
    } catch (e) {
      setAsking(false);
      setError([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="panel" data-testid="as-publish">
      <h2>{t('asPublish')}</h2>
      <p className="muted">{t('asPublishHint')}</p>
      <button type="button" className="button primary" onClick={() => setAsking(true)}>
        {t('asPublish')}
      </button>
      <FormError messages={error} />
      {asking && (
        <Dialog title={t('asPublishConfirmTitle', { year: round.year })} onClose={() => setAsking(false)}>
          <p>{t('asPublishConfirm')}</p>
          <div className="actions">
            <button type="button" className="button primary" onClick={publish} disabled={busy} data-testid="as-publish-confirm">
              {busy ? <Spinner label={t('asPublishing')} /> : t('asPublishNow')}
            </button>
            <button type="button" className="button secondary" onClick={() => setAsking(false)}>
              {t('cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

/** Adjustment requests: the department decides the pending ones; a unit admin follows their unit's. */
function Adjustments({ round }: { round: Round }) {
  const { t, lang } = useI18n();
  const department = useDepartment();
  const open = round.state === 'computed';
  const list = useApi<{ items: Adjustment[] }>(`/assessments/rounds/${round.id}/adjustments`, department && open ? { state: 'proposed' } : {});
  const names = new Map(round.scheme.indicators.map((i) => [i.key, i.name]));
  const items = list.data?.items ?? [];
  if (!items.length && !(department && open)) return null;
  return (
    <div className="panel" data-testid="as-adjustments">
      <h2>{department && open ? t('asPendingAdjustments', { n: items.length }) : t('asAdjustments')}</h2>
      <Loaded state={list}>
        {(l) =>
          l.items.length === 0 ? (
            <p className="empty">{t('asNoPending')}</p>
          ) : (
            <ul className="as-adjustments">
              {l.items.map((a) => (
                <li key={a.id} data-testid="as-adjustment">
                  <p>
                    <strong>{a.branchName}</strong> · {names.get(a.key) ?? a.key} · {t('asAdjustTo', { score: scoreText(a.score) })}{' '}
                    <span className={`badge adj-${a.state}`}>{t(ADJUSTMENT_STATE_KEYS[a.state])}</span>
                  </p>
                  <p className="muted">
                    {t('asReasonLine', { reason: a.reason })} · {formatDateTime(a.createdAt, lang)}
                  </p>
                  {a.decisionComment && <p className="muted">{t('asDecisionComment', { comment: a.decisionComment })}</p>}
                  {department && open && a.state === 'proposed' && <Decide roundId={round.id} adjustment={a} />}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}

function Decide({ roundId, adjustment }: { roundId: string; adjustment: Adjustment }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [comment, setComment] = useState('');
  const form = useFormSubmit(['comment']);
  const decide = (accept: boolean) =>
    form.run(async () => {
      await api(`/assessments/rounds/${roundId}/adjustments/${adjustment.id}/decision`, { method: 'POST', body: { accept, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      await invalidate(`/assessments/rounds/${roundId}`, '/branches');
    });
  return (
    <div className="inline-form">
      <Field label={t('asDecisionCommentLabel')} errors={form.fields.comment}>
        {(p) => <input {...p} value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="button" className="button primary" disabled={form.busy} onClick={() => decide(true)}>
          {t('asAccept')}
        </button>
        <button type="button" className="button secondary" disabled={form.busy} onClick={() => decide(false)}>
          {t('asReject')}
        </button>
      </div>
      <FormError messages={form.other} />
    </div>
  );
}

/** Results by rank (a page at a time), the grade distribution, each indicator's spread and the units. */
function Results({ round }: { round: Round }) {
  const { t } = useI18n();
  const department = useDepartment();
  const [params, setParams] = useSearchParams();
  const unitId = department ? (params.get('unitId') ?? '') : '';
  const [page, setPage] = useState(1);
  const results = useApi<RoundResults>(`/assessments/rounds/${round.id}/results`, { page, pageSize: PAGE_SIZE, ...(unitId ? { unitId } : {}) });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string[]>();
  const manualKeys = round.scheme.indicators.filter((i) => i.source === 'manual').map((i) => i.key);
  const setUnit = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('unitId', value);
    else next.delete('unitId');
    setParams(next, { replace: true });
    setPage(1);
  };
  async function exportXlsx() {
    setExporting(true);
    setExportError(undefined);
    try {
      await download(`/assessments/rounds/${round.id}/results`, `${round.year}年度考核结果.xlsx`, { format: 'xlsx', ...(unitId ? { unitId } : {}) });
    } catch (e) {
      setExportError([errorText(toApiError(e), t)]);
    } finally {
      setExporting(false);
    }
  }
  return (
    <Loaded state={results}>
      {(r) => (
        <>
          <div className="page-head">
            <h2>{t('asResults')}</h2>
            <div className="actions">
              {department && unitId && (
                <button type="button" className="button secondary" onClick={() => setUnit('')}>
                  {t('bwAllUnits')}
                </button>
              )}
              <button type="button" className="button secondary" onClick={exportXlsx} disabled={exporting} data-testid="as-export">
                {exporting ? <Spinner label={t('bwExporting')} /> : t('asExport')}
              </button>
            </div>
          </div>
          <FormError messages={exportError} />
          <Paged total={r.total} page={page} pageSize={PAGE_SIZE} onPage={setPage} empty={t('asNoBranches')} busy={results.isFetching}>
            <DataTable<RankedBranch>
              rows={r.items}
              rowKey={(b) => b.branchId}
              testId="as-results"
              caption={t('asResults')}
              columns={[
                { header: t('asRank'), cell: (b) => b.rank },
                { header: t('asUnitRank'), cell: (b) => b.unitRank },
                {
                  header: t('asBranch'),
                  rowHeader: true,
                  cell: (b) => <Link to={`/assessments/rounds/${round.id}/branches/${b.branchId}`}>{b.branchName}</Link>,
                },
                { header: t('bwUnit'), cell: (b) => b.unitName, hidden: !department },
                { header: t('asTotal'), cell: (b) => <strong>{scoreText(b.score)}</strong> },
                { header: t('asGrade'), cell: (b) => <GradeBadge grade={b.grade} provisional={!r.published} /> },
                {
                  header: t('asManualCol'),
                  cell: (b) => {
                    const missing = b.indicators.filter((l) => manualKeys.includes(l.key) && l.score === null).length;
                    return missing ? <span className="bw-behind">{t('asManualMissing', { n: missing })}</span> : <span className="muted">{t('asManualDone')}</span>;
                  },
                  hidden: manualKeys.length === 0,
                },
              ]}
            />
          </Paged>
          <ResultCharts results={r} />
          <h2>{t('bwByUnit')}</h2>
          <DataTable<UnitSummary>
            rows={r.byUnit}
            rowKey={(u) => u.unitId}
            testId="as-units"
            caption={t('bwByUnit')}
            columns={[
              {
                header: t('bwUnit'),
                rowHeader: true,
                cell: (u) =>
                  department && !unitId ? (
                    <button type="button" className="button link" onClick={() => setUnit(u.unitId)}>
                      {u.name}
                    </button>
                  ) : (
                    u.name
                  ),
              },
              { header: t('bwBranches'), cell: (u) => u.branches },
              { header: t('asMean'), cell: (u) => scoreText(u.mean) },
              { header: t('asGradeExcellent'), cell: (u) => u.grades.excellent },
              { header: t('asGradeGood'), cell: (u) => u.grades.good },
              { header: t('asGradeFair'), cell: (u) => u.grades.fair },
              { header: t('asGradePoor'), cell: (u) => u.grades.poor },
            ]}
          />
        </>
      )}
    </Loaded>
  );
}

function chartOptions(r: RoundResults, t: Translate) {
  const grid = { left: 8, right: 16, top: 24, bottom: 8, containLabel: true };
  const distribution: ChartOption = {
    grid,
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'category', data: r.distribution.map((d) => t(GRADE_KEYS[d.grade])) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: r.distribution.map((d) => d.count), itemStyle: { color: CHART_RED }, barMaxWidth: 40, label: { show: true, position: 'top' } }],
  };
  const names = r.indicators.map((i) => i.name);
  const spread: ChartOption = {
    grid: { ...grid, top: 36 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: { type: 'category', data: names, inverse: true },
    series: [
      { name: t('asMin'), type: 'bar', data: r.indicators.map((i) => i.min), itemStyle: { color: CHART_GREY } },
      { name: t('asMean'), type: 'bar', data: r.indicators.map((i) => i.mean), itemStyle: { color: CHART_RED } },
      { name: t('asMax'), type: 'bar', data: r.indicators.map((i) => i.max), itemStyle: { color: '#1d4e89' } },
    ],
  };
  return { distribution, spread };
}

function ResultCharts({ results }: { results: RoundResults }) {
  const { t } = useI18n();
  const options = useMemo(() => chartOptions(results, t), [results, t]);
  return (
    <div className="chart-grid">
      <figure className="panel chart-panel">
        <figcaption>{t('asDistribution')}</figcaption>
        <Chart option={options.distribution} label={t('asDistribution')} testId="as-chart-distribution" />
        <ul className="distribution" data-testid="as-distribution">
          {results.distribution.map((d) => (
            <li key={d.grade}>
              <span>{t(GRADE_KEYS[d.grade])}</span> <strong>{t('asBranchesN', { n: d.count })}</strong>
            </li>
          ))}
        </ul>
      </figure>
      <figure className="panel chart-panel">
        <figcaption>{t('asSpread')}</figcaption>
        <Chart option={options.spread} label={t('asSpread')} height={Math.max(200, results.indicators.length * 56 + 60)} testId="as-chart-spread" />
        <details className="chart-data">
          <summary>{t('asSpreadFigures')}</summary>
          <DataTable<IndicatorSpread>
            rows={results.indicators}
            rowKey={(i) => i.key}
            caption={t('asSpread')}
            columns={[
              { header: t('asIndicator'), rowHeader: true, cell: (i) => i.name },
              { header: t('asWeight'), cell: (i) => i.weight },
              { header: t('asMin'), cell: (i) => scoreText(i.min) },
              { header: t('asMean'), cell: (i) => scoreText(i.mean) },
              { header: t('asMedian'), cell: (i) => scoreText(i.median) },
              { header: t('asMax'), cell: (i) => scoreText(i.max) },
              { header: t('asMissing'), cell: (i) => i.missing },
            ]}
          />
        </details>
      </figure>
    </div>
  );
}

// ---- One branch of a round: the breakdown, manual scores, adjustments, the audit trail ----

export function RoundBranchPage() {
  const { t } = useI18n();
  const { id = '', branchId = '' } = useParams();
  const round = useRound(id);
  const result = useApi<BranchAssessment>(`/branches/${branchId}/assessment`, { year: round.data?.year }, { enabled: Boolean(round.data) });
  return (
    <section>
      <p>
        <Link to={`/assessments/rounds/${id}`}>{t('asBackToRound')}</Link>
      </p>
      <Loaded state={round}>
        {(r) => (
          <Loaded state={result}>
            {(b) => (
              <>
                <h1 data-testid="as-branch-name">{b.branchName}</h1>
                <p className="muted">
                  {b.unitName} · {t('asRoundName', { year: r.year })}
                </p>
                {b.roundId !== r.id && <p className="alert alert-warn">{t('asOtherRound')}</p>}
                <ScoreCard result={b} />
                <h2>{t('asBreakdown')}</h2>
                <Breakdown lines={b.indicators} />
                <SheetButton roundId={b.roundId} branchId={b.branchId} name={b.branchName} year={b.year} />
                {r.state === 'computed' && b.roundId === r.id && (
                  <>
                    <ManualScores round={r} result={b} />
                    <ProposeAdjustment round={r} result={b} />
                  </>
                )}
                <Audit round={r} entries={b.audit ?? []} />
              </>
            )}
          </Loaded>
        )}
      </Loaded>
    </section>
  );
}

/** The unit admin's (or the department's) manual scores for the branch: 0–100 with a reason, per manual indicator. */
function ManualScores({ round, result }: { round: Round; result: BranchAssessment }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const manual = result.indicators.filter((l) => l.source === 'manual');
  const [values, setValues] = useState(() => Object.fromEntries(manual.map((l) => [l.key, { score: l.score === null ? '' : String(l.score), reason: l.reason ?? '' }])));
  const [saved, setSaved] = useState(false);
  const [nothing, setNothing] = useState(false);
  const form = useFormSubmit(['scores']);
  if (!manual.length) return null;
  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setNothing(false);
    const scores = manual
      .filter((l) => values[l.key].score.trim() !== '' || values[l.key].reason.trim() !== '')
      .map((l) => ({ key: l.key, score: values[l.key].score.trim() === '' ? null : Number(values[l.key].score), reason: values[l.key].reason.trim() }));
    if (!scores.length) {
      setNothing(true);
      return;
    }
    void form.run(async () => {
      await api(`/assessments/rounds/${round.id}/branches/${result.branchId}/manual`, { method: 'PUT', body: { scores } });
      setSaved(true);
      await invalidate(`/branches/${result.branchId}`, `/assessments/rounds/${round.id}`);
    });
  }
  return (
    <form className="panel as-form" onSubmit={submit} noValidate aria-label={t('asManualTitle')} data-testid="as-manual">
      <h2>{t('asManualTitle')}</h2>
      <p className="muted">{t('asManualHint')}</p>
      {manual.map((l) => (
        <fieldset key={l.key} className="as-manual-row">
          <legend>
            {l.name} · {t('asWeightN', { weight: l.weight })}
          </legend>
          <div className="inline-form">
            <Field label={t('asScoreLabel', { name: l.name })} className="as-narrow">
              {(p) => (
                <input {...p} type="number" inputMode="decimal" min={0} max={100} step="any" value={values[l.key].score} onChange={(e) => setValues((v) => ({ ...v, [l.key]: { ...v[l.key], score: e.target.value } }))} />
              )}
            </Field>
            <Field label={t('asReasonLabel', { name: l.name })}>
              {(p) => <textarea {...p} rows={2} maxLength={500} value={values[l.key].reason} onChange={(e) => setValues((v) => ({ ...v, [l.key]: { ...v[l.key], reason: e.target.value } }))} />}
            </Field>
          </div>
        </fieldset>
      ))}
      <FormError messages={[...(nothing ? [t('asManualNone')] : []), ...(form.fields.scores ?? []), ...(form.other ?? [])]} />
      {saved && <Notice>{t('asManualSaved')}</Notice>}
      <button type="submit" className="button primary" disabled={form.busy}>
        {form.busy ? <Spinner label={t('saving')} /> : t('asManualSave')}
      </button>
    </form>
  );
}

/** A proposed change of an automatic score, with its reason, for the department to accept or reject. */
function ProposeAdjustment({ round, result }: { round: Round; result: BranchAssessment }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const auto = result.indicators.filter((l) => l.source === 'auto');
  const [key, setKey] = useState(auto[0]?.key ?? '');
  const [score, setScore] = useState('');
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState(false);
  const form = useFormSubmit(['key', 'score', 'reason']);
  if (!auto.length) return null;
  function submit(event: FormEvent) {
    event.preventDefault();
    setSent(false);
    void form.run(async () => {
      await api(`/assessments/rounds/${round.id}/branches/${result.branchId}/adjustments`, { method: 'POST', body: { key, score: score.trim() === '' ? null : Number(score), reason: reason.trim() } });
      setScore('');
      setReason('');
      setSent(true);
      await invalidate(`/branches/${result.branchId}`, `/assessments/rounds/${round.id}`);
    });
  }
  const current = auto.find((l) => l.key === key);
  return (
    <form className="panel as-form" onSubmit={submit} noValidate aria-label={t('asProposeTitle')} data-testid="as-propose">
      <h2>{t('asProposeTitle')}</h2>
      <p className="muted">{t('asProposeHint')}</p>
      <div className="inline-form">
        <SelectField label={t('asIndicator')} value={key} options={auto.map((l) => [l.key, l.name])} onChange={setKey} errors={form.fields.key} />
        <Field label={t('asProposeScore')} hint={current ? t('asProposeNow', { score: scoreText(current.score) }) : undefined} errors={form.fields.score} className="as-narrow">
          {(p) => <input {...p} type="number" inputMode="decimal" min={0} max={100} step="any" value={score} onChange={(e) => setScore(e.target.value)} />}
        </Field>
      </div>
      <Field label={t('asProposeReason')} errors={form.fields.reason}>
        {(p) => <textarea {...p} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError messages={form.other} />
      {sent && <Notice>{t('asProposed')}</Notice>}
      <button type="submit" className="button secondary" disabled={form.busy}>
        {form.busy ? <Spinner label={t('saving')} /> : t('asProposeSubmit')}
      </button>
    </form>
  );
}

function Audit({ round, entries }: { round: Round; entries: AuditEntry[] }) {
  const { t, lang } = useI18n();
  const names = new Map(round.scheme.indicators.map((i) => [i.key, i.name]));
  return (
    <>
      <h2>{t('asAudit')}</h2>
      {entries.length === 0 ? (
        <p className="empty">{t('asAuditNone')}</p>
      ) : (
        <ol className="as-audit" data-testid="as-audit">
          {entries.map((a) => (
            <li key={a.id}>
              <span className="muted">{formatDateTime(a.createdAt, lang)}</span> <strong>{t(AUDIT_KEYS[a.action])}</strong>
              {a.key && ` · ${names.get(a.key) ?? a.key}`}
              {a.newScore !== null && ` · ${a.oldScore !== null ? t('asAuditChange', { from: scoreText(a.oldScore), to: scoreText(a.newScore) }) : t('asAuditSet', { to: scoreText(a.newScore) })}`}
              {a.reason && <span className="as-reason"> {t('asReasonLine', { reason: a.reason })}</span>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
