import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { DataTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { Checkbox, Field, FormError, Notice, SelectField, useFormSubmit } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { beijingYear, GRADE_KEYS, GRADES, MEASURE_KEYS, type Grade, type Measure, type MeasureKey, type Scheme, type SchemeBody } from '../api';

interface IndicatorDraft {
  id: string;
  key: string;
  name: string;
  weight: string;
  source: 'auto' | 'manual';
  measure: MeasureKey | '';
  target: string;
}

/** A sensible first scheme: every measure of the platform and the two manual indicators of the method. */
const TEMPLATE: SchemeBody = {
  indicators: [
    { key: 'completion', name: '书记培训完成率', weight: 15, source: 'auto', measure: 'training.completion' },
    { key: 'hours', name: '书记学时', weight: 15, source: 'auto', measure: 'training.hours' },
    { key: 'compliance', name: '组织生活达标率', weight: 20, source: 'auto', measure: 'handbook.compliance' },
    { key: 'ontime', name: '记录及时率', weight: 10, source: 'auto', measure: 'handbook.onTime' },
    { key: 'plan', name: '年度计划完成率', weight: 10, source: 'auto', measure: 'plan.done' },
    { key: 'reflections', name: '优秀心得', weight: 5, source: 'auto', measure: 'reflections.excellent' },
    { key: 'suggestions', name: '意见建议', weight: 5, source: 'auto', measure: 'suggestions.made' },
    { key: 'quality', name: '记录质量', weight: 10, source: 'manual' },
    { key: 'review', name: '民主评议', weight: 10, source: 'manual' },
  ],
  bands: [
    { grade: 'excellent', min: 90 },
    { grade: 'good', min: 75 },
    { grade: 'fair', min: 60 },
    { grade: 'poor', min: 0 },
  ],
  excellentCap: null,
};

/** The scheme's refusals, beside the part of the form they concern (in the page's language). */
const SCHEME_CODE_FIELDS: Record<string, string> = {
  SCHEME_DUPLICATE_INDICATOR: 'indicators',
  SCHEME_MEASURE_REQUIRED: 'indicators',
  SCHEME_MANUAL_WITH_MEASURE: 'indicators',
  SCHEME_WEIGHTS_NOT_100: 'indicators',
  SCHEME_DUPLICATE_BAND: 'bands',
  SCHEME_BANDS_INCOMPLETE: 'bands',
  SCHEME_BANDS_ORDER: 'bands',
};

/** An indicator's key, as the server checks it (INDICATOR_KEY in src/assessments/dto/assessment.dto.ts). */
const INDICATOR_KEY = /^[a-z][a-z0-9_-]{0,39}$/;

let drafts = 0;
const draftOf = (i: SchemeBody['indicators'][number]): IndicatorDraft => ({
  id: `i${++drafts}`,
  key: i.key,
  name: i.name,
  weight: String(i.weight),
  source: i.source,
  measure: i.measure ?? '',
  target: i.target === undefined ? '' : String(i.target),
});

/** 考核评估办法: the department writes a year's scheme (indicators, weights, grade bands, the cap on 优秀); unit admins read it. */
export function SchemePage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const [params, setParams] = useSearchParams();
  const now = beijingYear();
  const year = Number(params.get('year')) || now;
  const years = [...new Set([year, now + 1, now, now - 1, now - 2])].sort((a, b) => b - a);
  const scheme = useApi<Scheme>(`/assessments/schemes/${year}`);
  const measures = useApi<{ items: Measure[] }>('/assessments/measures');
  const [notice, setNotice] = useState<string>();
  const missing = scheme.error?.code === 'SCHEME_NOT_FOUND';
  const fetchingOther = scheme.isFetching && scheme.data?.year !== year;
  return (
    <section>
      <p>
        <Link to="/assessments">{t('asBackToRounds')}</Link>
      </p>
      <h1>{t('asSchemeTitle')}</h1>
      <p className="muted">{t('asSchemeIntro')}</p>
      <div className="toolbar">
        <SelectField
          label={t('asYear')}
          value={String(year)}
          options={years.map((y) => [String(y), t('bwYearN', { year: y })])}
          onChange={(v) => {
            setNotice(undefined);
            setParams({ year: v }, { replace: true });
          }}
        />
      </div>
      {notice && <Notice>{notice}</Notice>}
      {fetchingOther ? (
        <Spinner />
      ) : missing ? (
        department ? (
          measures.data ? (
            <>
              <p className="alert alert-warn" data-testid="as-scheme-missing">{t('asSchemeMissingDept', { year })}</p>
              <SchemeEditor key={`new-${year}`} year={year} body={TEMPLATE} measures={measures.data.items} onSaved={(s) => { setNotice(t('asSchemeSaved', { year: s.year })); void scheme.refetch(); }} />
            </>
          ) : (
            <Spinner />
          )
        ) : (
          <p className="empty">{t('asSchemeMissing', { year })}</p>
        )
      ) : (
        <Loaded state={scheme}>
          {(s) =>
            department && measures.data ? (
              <SchemeEditor key={`${s.year}-${s.updatedAt}`} year={s.year} body={s.scheme} measures={measures.data.items} onSaved={(saved) => { setNotice(t('asSchemeSaved', { year: saved.year })); void scheme.refetch(); }} />
            ) : (
              <SchemeView body={s.scheme} />
            )
          }
        </Loaded>
      )}
    </section>
  );
}

function SchemeView({ body }: { body: SchemeBody }) {
  const { t } = useI18n();
  return (
    <>
      <DataTable
        rows={body.indicators}
        rowKey={(i) => i.key}
        testId="as-scheme-view"
        caption={t('asIndicators')}
        columns={[
          { header: t('asIndicator'), rowHeader: true, cell: (i) => i.name },
          { header: t('asWeight'), cell: (i) => i.weight },
          { header: t('asSource'), cell: (i) => (i.source === 'manual' ? t('asSourceManual') : i.measure ? t(MEASURE_KEYS[i.measure]) : '') },
          { header: t('asTarget'), cell: (i) => i.target ?? '—' },
        ]}
      />
      <p>
        {body.bands.map((b) => t('asBandLine', { grade: t(GRADE_KEYS[b.grade]), min: b.min })).join('；')}
        {body.excellentCap !== null ? `；${t('asCapLine', { percent: Math.round(body.excellentCap * 1000) / 10 })}` : ''}
      </p>
    </>
  );
}

function SchemeEditor({ year, body, measures, onSaved }: { year: number; body: SchemeBody; measures: Measure[]; onSaved: (saved: Scheme) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<IndicatorDraft[]>(() => body.indicators.map(draftOf));
  const [bands, setBands] = useState<Record<Grade, string>>(() => {
    const of = (g: Grade) => body.bands.find((b) => b.grade === g);
    return Object.fromEntries(GRADES.map((g) => [g, of(g) ? String(of(g)!.min) : ''])) as Record<Grade, string>;
  });
  const [capOn, setCapOn] = useState(body.excellentCap !== null);
  const [cap, setCap] = useState(body.excellentCap === null ? '30' : String(Math.round(body.excellentCap * 1000) / 10));
  const form = useFormSubmit(['indicators', 'bands', 'excellentCap'], { codeFields: SCHEME_CODE_FIELDS });
  const change = (id: string, patch: Partial<IndicatorDraft>) => setRows((all) => all.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const total = Math.round(rows.reduce((sum, r) => sum + (Number(r.weight) || 0), 0) * 100) / 100;
  const defaults = new Map(measures.map((m) => [m.key, m.target]));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (rows.some((r) => !INDICATOR_KEY.test(r.key.trim()))) {
      form.setFields({ indicators: [t('asIndicatorKeyBad')] });
      return;
    }
    const payload = {
      indicators: rows.map((r) => ({
        key: r.key.trim(),
        name: r.name.trim(),
        weight: Number(r.weight),
        source: r.source,
        ...(r.source === 'auto' && r.measure ? { measure: r.measure } : {}),
        ...(r.source === 'auto' && r.target.trim() ? { target: Number(r.target) } : {}),
      })),
      bands: GRADES.filter((g) => g === 'poor' || bands[g].trim() !== '').map((g) => ({ grade: g, min: g === 'poor' ? 0 : Number(bands[g]) })),
      excellentCap: capOn ? Number(cap) / 100 : null,
    };
    void form.run(async () => {
      onSaved(await api<Scheme>(`/assessments/schemes/${year}`, { method: 'PUT', body: payload }));
    });
  }

  return (
    <form className="as-form" onSubmit={submit} noValidate aria-label={t('asSchemeEdit')} data-testid="as-scheme-form">
      <h2>{t('asIndicators')}</h2>
      <p className="muted">{t('asIndicatorKeyHint')}</p>
      <div className="card-list">
        {rows.map((row, n) => (
          <fieldset key={row.id} className="panel" data-testid="as-indicator">
            <legend>{row.name || t('asIndicatorNew')}</legend>
            <div className="inline-form">
              <Field label={t('asIndicatorName')}>{(p) => <input {...p} value={row.name} maxLength={50} onChange={(e) => change(row.id, { name: e.target.value })} />}</Field>
              <Field label={t('asIndicatorKey')} errors={row.key.trim() && !INDICATOR_KEY.test(row.key.trim()) ? [t('asIndicatorKeyBad')] : undefined}>
                {(p) => <input {...p} value={row.key} maxLength={40} autoCapitalize="off" onChange={(e) => change(row.id, { key: e.target.value })} />}
              </Field>
              <Field label={t('asWeight')} className="as-narrow">
                {(p) => <input {...p} type="number" inputMode="decimal" min={0.01} max={100} step="any" value={row.weight} onChange={(e) => change(row.id, { weight: e.target.value })} />}
              </Field>
            </div>
            <div className="inline-form">
              <SelectField
                label={t('asSource')}
                value={row.source}
                options={[
                  ['auto', t('asSourceAuto')],
                  ['manual', t('asSourceManual')],
                ]}
                onChange={(v) => change(row.id, { source: v as IndicatorDraft['source'], ...(v === 'manual' ? { measure: '', target: '' } : {}) })}
              />
              {row.source === 'auto' && (
                <>
                  <SelectField
                    label={t('asMeasure')}
                    value={row.measure}
                    empty={t('asMeasurePick')}
                    options={measures.map((m) => [m.key, t(MEASURE_KEYS[m.key])])}
                    onChange={(v) => change(row.id, { measure: v as MeasureKey | '', target: '' })}
                  />
                  {row.measure && defaults.get(row.measure) !== null && (
                    <Field label={t(row.measure === 'handbook.onTime' ? 'asTargetDays' : 'asTarget')} hint={t('asTargetHint', { n: defaults.get(row.measure) ?? '' })} className="as-narrow">
                      {(p) => (
                        <input {...p} type="number" inputMode="decimal" min={0.1} max={1000} step="any" value={row.target} placeholder={String(defaults.get(row.measure as MeasureKey) ?? '')} onChange={(e) => change(row.id, { target: e.target.value })} />
                      )}
                    </Field>
                  )}
                </>
              )}
            </div>
            <button type="button" className="button link" onClick={() => setRows((all) => all.filter((r) => r.id !== row.id))} aria-label={t('asIndicatorRemoveN', { n: n + 1 })}>
              {t('remove')}
            </button>
          </fieldset>
        ))}
      </div>
      <div className="toolbar">
        <button type="button" className="button secondary" onClick={() => setRows((all) => [...all, draftOf({ key: '', name: '', weight: 0, source: 'manual' })])}>
          {t('asIndicatorAdd')}
        </button>
        <span className={total === 100 ? 'muted' : 'bw-behind'} data-testid="as-weight-total" aria-live="polite">
          {t('asWeightTotal', { total })}
        </span>
      </div>
      <FormError messages={form.fields.indicators} />

      <h2>{t('asBands')}</h2>
      <p className="muted">{t('asBandsHint')}</p>
      <div className="inline-form">
        {GRADES.map((g) => (
          <Field key={g} label={t('asBandMin', { grade: t(GRADE_KEYS[g]) })} className="as-narrow">
            {(p) =>
              g === 'poor' ? (
                <input {...p} type="number" value="0" readOnly />
              ) : (
                <input {...p} type="number" inputMode="decimal" min={0} max={100} step="any" value={bands[g]} onChange={(e) => setBands((all) => ({ ...all, [g]: e.target.value }))} />
              )
            }
          </Field>
        ))}
      </div>
      <FormError messages={form.fields.bands} />
      <div className="inline-form as-cap">
        <Checkbox label={t('asCapOn')} checked={capOn} onChange={setCapOn} />
        {capOn && (
          <Field label={t('asCapPercent')} className="as-narrow" errors={form.fields.excellentCap}>
            {(p) => <input {...p} type="number" inputMode="decimal" min={0.1} max={100} step="any" value={cap} onChange={(e) => setCap(e.target.value)} />}
          </Field>
        )}
      </div>
      <FormError messages={form.other} />
      <div className="toolbar sticky-actions">
        <button type="submit" className="button primary" disabled={form.busy}>
          {form.busy ? <Spinner label={t('saving')} /> : t('asSchemeSave', { year })}
        </button>
      </div>
    </form>
  );
}
