import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { download } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { Chart, CHART_RED, type ChartOption, percent } from '../../../shared/chart';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { FormError } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { KIND_KEYS, MIN_GROUP, type QuestionResult, SCALE_MAX, STATE_KEYS, type SurveyDetail, type SurveyResults, surveyState } from '../api';
import { useAudienceLabel } from '../components/SurveyFacts';

/** The words of a question's counts: its options, or the ratings 1 … SCALE_MAX. */
function labelsOf(q: QuestionResult, options: string[], point: (n: number) => string): string[] {
  return q.kind === 'scale' ? Array.from({ length: SCALE_MAX }, (_, k) => point(k + 1)) : options;
}

function chartOption(q: QuestionResult, labels: string[]): ChartOption {
  const grid = { left: 8, right: 28, top: 12, bottom: 8, containLabel: true };
  const series = [{ type: 'bar', data: q.counts, itemStyle: { color: CHART_RED }, barMaxWidth: 28, label: { show: true, position: q.kind === 'scale' ? 'top' : 'right' } }];
  if (q.kind === 'scale') {
    return { grid, tooltip: { trigger: 'axis', renderMode: 'richText' }, xAxis: { type: 'category', data: labels }, yAxis: { type: 'value', minInterval: 1 }, series };
  }
  return {
    grid,
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 120, overflow: 'truncate' } },
    series,
  };
}

/** A survey's results: per question a chart (choices, the spread of a scale with its mean) or the free texts; by unit; the workbook. */
export function SurveyResultsPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const survey = useApi<SurveyDetail>(`/surveys/${id}`);
  const results = useApi<SurveyResults>(`/surveys/${id}/results`);
  return (
    <section className="survey-results">
      <p>
        <Link to="/surveys">← {t('svTitle')}</Link>
      </p>
      <Loaded state={survey}>{(s) => <Loaded state={results}>{(r) => <Results survey={s} results={r} />}</Loaded>}</Loaded>
    </section>
  );
}

function Results({ survey: s, results: r }: { survey: SurveyDetail; results: SurveyResults }) {
  const { t, lang } = useI18n();
  const audienceOf = useAudienceLabel();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string[]>();
  const state = surveyState(s);
  const point = (n: number) => t('svPoints', { n });
  const options = useMemo(() => r.questions.map((q, i) => chartOption(q, labelsOf(q, s.questions[i]?.options ?? [], point))), [r, s, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  async function saveWorkbook() {
    setBusy(true);
    setFailed(undefined);
    try {
      await download(`/surveys/${s.id}/results`, `${t('svWorkbookName', { title: s.title.replace(/[\\/:*?"<>|]/g, '-') })}.xlsx`, { format: 'xlsx' });
    } catch (e) {
      setFailed([errorText(toApiError(e), t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="page-head">
        <h1>{t('svResultsOf', { title: s.title })}</h1>
        <button type="button" className="button primary" onClick={saveWorkbook} disabled={busy}>
          {busy ? <Spinner label={t('svDownloading')} /> : t('svDownload')}
        </button>
      </div>
      <FormError messages={failed} />
      <p className="meta">
        <span className={`badge survey-state-${state === 'answered' ? 'open' : state}`}>{t(state === 'answered' || state === 'open' ? 'svStateRunning' : STATE_KEYS[state])}</span> {s.anonymous ? t('svAnonymous') : t('svNamed')} · {audienceOf(s)}
      </p>
      <dl className="totals" data-testid="survey-totals">
        <div className="total">
          <dt>{t('svResponses')}</dt>
          <dd data-testid="survey-responses">{r.responses}</dd>
        </div>
        <div className="total">
          <dt>{t('svFieldOpens')}</dt>
          <dd className="total-time">{formatDateTime(s.opensAt, lang)}</dd>
        </div>
        <div className="total">
          <dt>{t('svFieldCloses')}</dt>
          <dd className="total-time">{formatDateTime(s.closesAt, lang)}</dd>
        </div>
      </dl>
      {r.responses === 0 && <p className="empty">{t('svNoResponses')}</p>}
      <div className="chart-grid">
        {r.questions.map((q, i) => {
          const labels = labelsOf(q, s.questions[i]?.options ?? [], point);
          return (
            <figure key={i} className="panel chart-panel survey-result" data-testid={`result-${i + 1}`}>
              <figcaption>
                {i + 1}. {q.prompt} <span className="tag">{t(KIND_KEYS[q.kind])}</span>
              </figcaption>
              <p className="muted">{t('svAnsweredOf', { n: q.answered, total: r.responses })}</p>
              {q.kind === 'scale' && q.mean !== null && (
                <p className="survey-mean" data-testid={`mean-${i + 1}`}>
                  {t('svMean', { mean: q.mean.toFixed(2).replace(/\.?0+$/, ''), max: SCALE_MAX })}
                </p>
              )}
              {q.kind === 'text' ? (
                q.texts.length ? (
                  <ul className="survey-texts" data-testid={`texts-${i + 1}`}>
                    {q.texts.map((text, k) => (
                      <li key={k} className="plain-text">
                        {text}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="empty">{t('svNoTexts')}</p>
                )
              ) : (
                <>
                  {q.answered > 0 && <Chart option={options[i]} label={t('svChartOf', { n: i + 1, prompt: q.prompt })} height={q.kind === 'scale' ? 220 : Math.max(140, labels.length * 36 + 30)} testId={`chart-${i + 1}`} />}
                  <table className="table survey-counts">
                    <caption className="visually-hidden">{q.prompt}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{q.kind === 'scale' ? t('svColPoint') : t('svColOption')}</th>
                        <th scope="col">{t('svColCount')}</th>
                        <th scope="col">{t('svColShare')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {labels.map((label, k) => (
                        <tr key={k}>
                          <th scope="row">{label}</th>
                          <td>{q.counts[k] ?? 0}</td>
                          <td>{q.answered ? percent((q.counts[k] ?? 0) / q.answered) : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {q.kind === 'multiple' && <p className="hint">{t('svMultipleShare')}</p>}
                </>
              )}
            </figure>
          );
        })}
      </div>
      <ByUnit survey={s} results={r} />
    </>
  );
}

/** The same figures by unit, for units with MIN_GROUP answers or more; the rest only in the totals. */
function ByUnit({ survey: s, results: r }: { survey: SurveyDetail; results: SurveyResults }) {
  const { t } = useI18n();
  const columns = r.questions.map((q, i) => ({ q, i })).filter(({ q }) => q.kind !== 'text');
  const summary = (q: QuestionResult, i: number) => {
    if (q.kind === 'scale') return q.mean === null ? '—' : t('svMeanShort', { mean: q.mean.toFixed(2).replace(/\.?0+$/, '') });
    return (s.questions[i]?.options ?? []).map((o, k) => `${o} ${q.counts[k] ?? 0}`).join(' · ');
  };
  return (
    <section className="panel" aria-labelledby="sv-by-unit" data-testid="survey-by-unit">
      <h2 id="sv-by-unit">{t('svByUnit')}</h2>
      <p className="muted">{t('svByUnitRule', { min: MIN_GROUP })}</p>
      {r.byUnit.length ? (
        <table className="table responsive">
          <thead>
            <tr>
              <th scope="col">{t('svColUnit')}</th>
              <th scope="col">{t('svResponses')}</th>
              {columns.map(({ i }) => (
                <th key={i} scope="col">
                  {t('svColQuestion', { n: i + 1 })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.byUnit.map((u) => (
              <tr key={u.unitId}>
                <th scope="row" data-label={t('svColUnit')}>
                  {u.unitName}
                </th>
                <td data-label={t('svResponses')}>{u.responses}</td>
                {columns.map(({ i }) => (
                  <td key={i} data-label={t('svColQuestion', { n: i + 1 })}>
                    {u.questions[i] ? summary(u.questions[i], i) : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t('svByUnitNone', { min: MIN_GROUP })}</p>
      )}
      {r.notBrokenDown > 0 && (
        <p className="alert alert-warn" data-testid="not-broken-down">
          {t('svNotBrokenDown', { n: r.notBrokenDown, min: MIN_GROUP })}
        </p>
      )}
    </section>
  );
}
