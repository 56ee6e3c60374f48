import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { api, download, type Page } from '../../../api/client';
import type { Schema } from '../../../api/types';
import { useI18n, type Translate } from '../../../i18n';
import { PagedTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice, SelectField, useFormSubmit } from '../../../shared/forms';
import { useApi, useInvalidate } from '../../../shared/queries';
import {
  beijingYear,
  BRANCH_KIND_KEYS,
  ITEM_STATE_KEYS,
  PERIOD_KEYS,
  PLAN_STATUS_KEYS,
  REQUIREMENT_KEYS,
  type Member,
  type MemberImport,
  type MemberList,
  type Norm,
  type NormSet,
  type Plan,
  type Shortfall,
} from '../api';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const PERIODS: Norm['per'][] = ['month', 'quarter', 'year'];
const REQUIREMENTS = Object.keys(REQUIREMENT_KEYS) as Norm['requires'];
const BRANCH_KINDS = Object.keys(BRANCH_KIND_KEYS) as Norm['branchKinds'];

function useDepartment(): boolean {
  const { me } = useAuth();
  return me?.role === 'admin' && !me.unitId;
}

function YearPicker({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const { t } = useI18n();
  const now = beijingYear();
  const years = [now - 1, now, now + 1].includes(year) ? [now - 1, now, now + 1] : [year, now - 1, now, now + 1].sort();
  return <SelectField label={t('bwYear')} value={String(year)} options={years.map((y) => [String(y), t('bwYearN', { year: y })])} onChange={(v) => onChange(Number(v))} />;
}

// ---- Norms (一规): the department edits, everyone else reads ----

type NormDraft = Omit<Norm, 'id'> & { key: string };

export function NormsPage() {
  const { t } = useI18n();
  const department = useDepartment();
  const [year, setYear] = useState(beijingYear());
  const [notice, setNotice] = useState<string>();
  const state = useApi<NormSet>('/norms', { year });
  return (
    <section>
      <h1>{t('normsTitle')}</h1>
      <p className="muted">{t('normsIntro')}</p>
      <div className="toolbar">
        <YearPicker year={year} onChange={setYear} />
      </div>
      {notice && <Notice>{notice}</Notice>}
      <Loaded state={state}>
        {(set) =>
          department ? (
            <NormsEditor
              key={`${set.year}-${set.version}`}
              set={set}
              onSaved={(saved) => {
                setNotice(t('normsSaved', { year: saved.year, version: saved.version }));
                void state.refetch();
              }}
            />
          ) : (
            <NormsTable set={set} />
          )
        }
      </Loaded>
    </section>
  );
}

function NormsTable({ set }: { set: NormSet }) {
  const { t } = useI18n();
  return (
    <table className="table" data-testid="norms">
      <caption>{t('normsVersion', { year: set.year, version: set.version })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('normName')}</th>
          <th scope="col">{t('normFrequency')}</th>
          <th scope="col">{t('normBranchKinds')}</th>
          <th scope="col">{t('normRequires')}</th>
        </tr>
      </thead>
      <tbody>
        {set.items.map((n) => (
          <tr key={n.id}>
            <th scope="row">{n.name}</th>
            <td>{t('normFrequencyN', { per: t(PERIOD_KEYS[n.per]), n: n.minCount })}</td>
            <td>{n.branchKinds.map((k) => t(BRANCH_KIND_KEYS[k])).join('、')}</td>
            <td>{n.requires.map((r) => t(REQUIREMENT_KEYS[r])).join('、') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NormsEditor({ set, onSaved }: { set: NormSet; onSaved: (saved: NormSet) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<NormDraft[]>(() => set.items.map(({ id, ...n }) => ({ ...n, key: id })));
  const form = useFormSubmit(['items']);
  const change = (key: string, patch: Partial<NormDraft>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value));
  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      onSaved(await api<NormSet>(`/norms/${set.year}`, { method: 'PUT', body: { items: rows.map(({ key: _key, ...n }) => n) } }));
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t('normsEdit')}>
      <p className="muted">{t('normsVersion', { year: set.year, version: set.version })}</p>
      <div className="card-list">
        {rows.map((row, i) => (
          <fieldset key={row.key} className="panel" data-testid="norm-row">
            <legend>{row.name || t('normNew')}</legend>
            <div className="inline-form">
              <Field label={t('normName')}>{(p) => <input {...p} value={row.name} maxLength={100} onChange={(e) => change(row.key, { name: e.target.value })} />}</Field>
              <Field label={t('normKind')} hint={t('normKindHint')}>
                {(p) => <input {...p} value={row.kind} maxLength={40} autoCapitalize="off" onChange={(e) => change(row.key, { kind: e.target.value })} />}
              </Field>
              <Field label={t('normMinCount')}>
                {(p) => <input {...p} type="number" min={1} max={100} value={row.minCount} onChange={(e) => change(row.key, { minCount: Number(e.target.value) })} />}
              </Field>
              <SelectField label={t('normPer')} value={row.per} options={PERIODS.map((p) => [p, t(PERIOD_KEYS[p])])} onChange={(v) => change(row.key, { per: v as Norm['per'] })} />
            </div>
            <div className="inline-form">
              {BRANCH_KINDS.map((k) => (
                <Checkbox key={k} label={t(BRANCH_KIND_KEYS[k])} checked={row.branchKinds.includes(k)} onChange={(on) => change(row.key, { branchKinds: toggle(row.branchKinds, k, on) })} />
              ))}
            </div>
            <div className="inline-form">
              {REQUIREMENTS.map((r) => (
                <Checkbox key={r} label={t(REQUIREMENT_KEYS[r])} checked={row.requires.includes(r)} onChange={(on) => change(row.key, { requires: toggle(row.requires, r, on) })} />
              ))}
            </div>
            <button type="button" className="button link" onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))} aria-label={t('normRemoveN', { n: i + 1 })}>
              {t('remove')}
            </button>
          </fieldset>
        ))}
      </div>
      <div className="toolbar">
        <button type="button" className="button secondary" onClick={() => setRows((all) => [...all, { key: `new-${Date.now()}`, kind: '', name: '', minCount: 1, per: 'month', branchKinds: ['staff', 'student'], requires: [] }])}>
          {t('normAdd')}
        </button>
        <button type="submit" className="button primary" disabled={form.busy}>
          {form.busy ? <Spinner label={t('saving')} /> : t('normsSave')}
        </button>
      </div>
      <FormError messages={[...(form.fields.items ?? []), ...(form.other ?? [])]} />
    </form>
  );
}

// ---- The secretary's own branch: the links in the navigation lead here ----

export function MyPlanRedirect() {
  const { me } = useAuth();
  if (!me?.branchId) return <NoBranch />;
  return <Navigate to={`/branches/${me.branchId}/plans/${beijingYear()}`} replace />;
}

export function MyMembersRedirect() {
  const { me } = useAuth();
  if (!me?.branchId) return <NoBranch />;
  return <Navigate to={`/branches/${me.branchId}/members`} replace />;
}

function NoBranch() {
  const { t } = useI18n();
  return <div className="alert alert-error" role="alert">{t('bwNoBranch')}</div>;
}

function useKeeper(branchId: string): boolean {
  const { me } = useAuth();
  return me?.role === 'secretary' && me.branchId === branchId;
}

// ---- The annual plan (一表) ----

interface DraftItem {
  key: string;
  id: string | null;
  month: number;
  kind: string;
  title: string;
}

export function PlanPage() {
  const { id = '', year: yearText = '' } = useParams();
  const year = Number(yearText);
  const { t } = useI18n();
  const navigate = useNavigate();
  const state = useApi<Plan>(`/branches/${id}/plans/${year}`);
  const norms = useApi<NormSet>('/norms', { year });
  const names = new Map((norms.data?.items ?? []).map((n) => [n.kind, n.name]));
  return (
    <section className="plan-page">
      <Loaded state={state}>
        {(plan) => (
          <>
            <h1>{t('planTitle', { branch: plan.branchName, year: plan.year })}</h1>
            <div className="toolbar">
              <YearPicker year={year} onChange={(y) => navigate(`/branches/${id}/plans/${y}`)} />
              <Link className="button link" to={`/branches/${id}/members`}>{t('membersTitle')}</Link>
            </div>
            <PlanView
              key={`${plan.branchId}-${plan.year}`}
              plan={plan}
              kinds={[...names.keys(), 'own']}
              kindName={(kind) => (kind === 'own' ? t('planOwnKind') : (names.get(kind) ?? kind))}
              onChanged={() => state.refetch()}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}

function draftItems(plan: Plan): DraftItem[] {
  return plan.items.map((i, n) => ({ key: i.id ?? `d${n}`, id: i.id, month: i.month, kind: i.kind, title: i.title }));
}

function PlanView({ plan, kinds, kindName, onChanged }: { plan: Plan; kinds: string[]; kindName: (kind: string) => string; onChanged: () => void }) {
  const { t } = useI18n();
  const keeper = useKeeper(plan.branchId);
  const editable = keeper && (plan.status === 'draft' || plan.status === 'returned');
  const [items, setItems] = useState<DraftItem[]>(() => draftItems(plan));
  const [dirty, setDirty] = useState(false);
  // The plan as the server has it now (after a save, a submit, a review): the edits start again from it.
  useEffect(() => {
    setItems(draftItems(plan));
    setDirty(false);
  }, [plan]);
  const [newKind, setNewKind] = useState('own');
  const [notice, setNotice] = useState<string>();
  const [newMonth, setNewMonth] = useState(String(new Date(Date.now() + 8 * 3_600_000).getUTCMonth() + 1));
  const [newTitle, setNewTitle] = useState('');
  const form = useFormSubmit(['items']);
  const byId = new Map(plan.items.map((i) => [i.id, i]));
  const url = `/branches/${plan.branchId}/plans/${plan.year}`;
  const edit = (next: DraftItem[]) => {
    setItems(next);
    setDirty(true);
    setNotice(undefined);
  };
  const body = () => ({ items: items.map(({ id, month, kind, title }) => (id ? { id, month, kind, title } : { month, kind, title })) });
  const save = () =>
    form.run(async () => {
      await api(url, { method: 'PUT', body: body() });
      setDirty(false);
      setNotice(t('planSaved'));
      onChanged();
    });
  const submit = () =>
    form.run(async () => {
      try {
        if (dirty || !plan.stored) await api(url, { method: 'PUT', body: body() });
        await api(`${url}/submit`, { method: 'POST' });
        setNotice(t('planSubmittedNotice'));
      } finally {
        // Saved even when the submission is refused: the page shows what the server now has (and what is short).
        onChanged();
      }
    });
  function addItem(event: FormEvent) {
    event.preventDefault();
    const title = newTitle.trim() || (newKind === 'own' ? '' : kindName(newKind));
    if (!title) return;
    edit([...items, { key: `n${Date.now()}`, id: null, month: Number(newMonth), kind: newKind, title }]);
    setNewTitle('');
  }
  return (
    <>
      <p>
        <span className={`badge plan-${plan.status}`} data-testid="plan-status">{t(PLAN_STATUS_KEYS[plan.status])}</span>{' '}
        {!plan.stored && <span className="muted">{t('planPrefilled')}</span>}
        {plan.submittedAt && <span className="muted"> {t('planSubmittedAt', { at: formatDateTime(plan.submittedAt, t.lang) })}</span>}
      </p>
      {plan.reviewComment && (
        <div className={`alert ${plan.status === 'returned' ? 'alert-error' : 'alert-ok'}`} role="status">
          {t('planReviewComment', { comment: plan.reviewComment })}
        </div>
      )}
      {plan.shortfalls.length > 0 && <Shortfalls list={plan.shortfalls} />}
      <div className="toolbar">
        <button type="button" className="button secondary small" onClick={() => void download(`${url}/export`, `${t('planTitle', { branch: plan.branchName, year: plan.year })}.xlsx`, { format: 'xlsx' })}>
          {t('planExportXlsx')}
        </button>
        <button type="button" className="button secondary small" onClick={() => void download(`${url}/export`, `${t('planTitle', { branch: plan.branchName, year: plan.year })}.pdf`, { format: 'pdf' })}>
          {t('planExportPdf')}
        </button>
      </div>
      <ol className="plan-months">
        {MONTHS.map((month) => {
          const inMonth = items.filter((i) => i.month === month);
          return (
            <li key={month} className="panel plan-month" data-testid={`plan-month-${month}`}>
              <h2>{t('planMonth', { month })}</h2>
              {inMonth.length === 0 ? (
                <p className="muted">{t('planMonthEmpty')}</p>
              ) : (
                <ul className="plan-items">
                  {inMonth.map((item) => {
                    const shown = item.id ? byId.get(item.id) : undefined;
                    return (
                      <li key={item.key} className="plan-item">
                        <div className="plan-item-head">
                          <span className="badge">{kindName(item.kind)}</span>
                          {shown && <span className={`badge item-${shown.state}`}>{t(ITEM_STATE_KEYS[shown.state])}</span>}
                          {shown && shown.recordIds.length > 0 && <span className="muted">{t('planItemRecords', { n: shown.recordIds.length })}</span>}
                          {editable && (
                            <button type="button" className="button link small" aria-label={t('planRemoveItem', { title: item.title })} onClick={() => edit(items.filter((x) => x.key !== item.key))}>
                              {t('remove')}
                            </button>
                          )}
                        </div>
                        {editable ? (
                          <input
                            aria-label={t('planItemTitleOf', { kind: kindName(item.kind), month })}
                            value={item.title}
                            maxLength={200}
                            onChange={(e) => edit(items.map((x) => (x.key === item.key ? { ...x, title: e.target.value } : x)))}
                          />
                        ) : (
                          <div>{item.title}</div>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {editable && (
        <form className="panel" onSubmit={addItem} aria-label={t('planAddOwn')}>
          <h2>{t('planAddOwn')}</h2>
          <div className="inline-form">
            <SelectField label={t('planKindLabel')} value={newKind} options={kinds.map((k) => [k, kindName(k)])} onChange={setNewKind} />
            <SelectField label={t('planMonthLabel')} value={newMonth} options={MONTHS.map((m) => [String(m), t('planMonth', { month: m })])} onChange={setNewMonth} />
            <Field label={t('planItemTitle')}>{(p) => <input {...p} value={newTitle} maxLength={200} onChange={(e) => setNewTitle(e.target.value)} />}</Field>
            <button type="submit" className="button secondary">{t('planAddOwnButton')}</button>
          </div>
        </form>
      )}
      {editable && (
        <div className="toolbar sticky-actions">
          <button type="button" className="button secondary" disabled={form.busy || !dirty} onClick={() => void save()}>
            {t('planSave')}
          </button>
          <button type="button" className="button primary" disabled={form.busy} onClick={() => void submit()}>
            {t('planSubmit')}
          </button>
        </div>
      )}
      <FormError messages={[...(form.fields.items ?? []), ...(form.other ?? [])]} />
      {notice && <Notice>{notice}</Notice>}
      {!keeper && plan.status === 'submitted' && <PlanReview plan={plan} onReviewed={onChanged} />}
    </>
  );
}

function Shortfalls({ list }: { list: Shortfall[] }) {
  const { t } = useI18n();
  const when = (s: Shortfall) => (s.per === 'month' ? t('planMonth', { month: s.period }) : s.per === 'quarter' ? t('planQuarter', { n: s.period }) : t('planWholeYear'));
  return (
    <div className="alert alert-error" role="status" data-testid="plan-shortfalls">
      <p>{t('planShortfalls')}</p>
      <ul>
        {list.map((s) => (
          <li key={`${s.normId}-${s.period}`}>{t('planShortfallN', { name: s.name, when: when(s), n: s.missing })}</li>
        ))}
      </ul>
    </div>
  );
}

function PlanReview({ plan, onReviewed }: { plan: Plan; onReviewed: () => void }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const form = useFormSubmit(['comment', 'decision']);
  const review = (decision: 'approve' | 'return') =>
    form.run(async () => {
      await api(`/branches/${plan.branchId}/plans/${plan.year}/review`, { method: 'POST', body: comment.trim() ? { decision, comment: comment.trim() } : { decision } });
      onReviewed();
    });
  return (
    <form className="panel" aria-label={t('planReview')} onSubmit={(e) => e.preventDefault()}>
      <h2>{t('planReview')}</h2>
      <Field label={t('planReviewCommentLabel')} errors={form.fields.comment} hint={t('planReviewHint')}>
        {(p) => <textarea {...p} rows={3} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      <div className="toolbar">
        <button type="button" className="button primary" disabled={form.busy} onClick={() => void review('approve')}>{t('planApprove')}</button>
        <button type="button" className="button secondary" disabled={form.busy} onClick={() => void review('return')}>{t('planReturn')}</button>
      </div>
      <FormError messages={form.other} />
    </form>
  );
}

// ---- The unit admin's and the department's list of branches: to each branch's plan and members ----

type Branch = Schema<'BranchResponse'>;
type PlanSummary = Schema<'PlanSummaryResponse'>;

export function BranchPlansPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [year, setYear] = useState(beijingYear());
  const [queuePage, setQueuePage] = useState(1);
  const state = useApi<Page<Branch>>('/branches', { page, pageSize: 20 });
  const queue = useApi<Page<PlanSummary>>('/branch-plans', { year, status: 'submitted', page: queuePage, pageSize: 20 });
  return (
    <section>
      <h1>{t('branchPlansTitle')}</h1>
      <p className="muted">{t('branchPlansIntro')}</p>
      <div className="toolbar">
        <YearPicker year={year} onChange={(y) => { setYear(y); setQueuePage(1); }} />
      </div>
      <h2>{t('planQueueTitle')}</h2>
      <Loaded state={queue}>
        {(data) => (
          <PagedTable data={data} empty={t('planQueueEmpty')} page={queuePage} pageSize={20} onPage={setQueuePage} testId="plan-queue" rowKey={(p) => p.branchId}
            columns={[
              { header: t('colName'), rowHeader: true, cell: (p) => p.branchName },
              { header: t('planSubmittedColumn'), cell: (p) => formatDateTime(p.submittedAt, t.lang) },
              { header: t('planColumn'), cell: (p) => <Link to={`/branches/${p.branchId}/plans/${p.year}`} aria-label={t('planReviewOf', { name: p.branchName })}>{t('planReviewOpen')}</Link> },
            ]}
          />
        )}
      </Loaded>
      <h2>{t('branchPlansAll')}</h2>
      <Loaded state={state}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={20} onPage={setPage} testId="branch-plans" rowKey={(b) => b.id}
            columns={[
              { header: t('colName'), rowHeader: true, cell: (b) => b.name },
              { header: t('bwUnit'), cell: (b) => b.unit?.name ?? '' },
              { header: t('planColumn'), cell: (b) => <Link to={`/branches/${b.id}/plans/${year}`} aria-label={t('planOfBranch', { name: b.name })}>{t('planOpen')}</Link> },
              { header: t('membersTitle'), cell: (b) => <Link to={`/branches/${b.id}/members`} aria-label={t('membersOfBranch', { name: b.name })}>{t('membersOpen')}</Link> },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

// ---- The member list ----

export function MembersPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const keeper = useKeeper(id);
  const [includeLeft, setIncludeLeft] = useState(false);
  const state = useApi<MemberList>(`/branches/${id}/members`, includeLeft ? { includeLeft: 'true' } : undefined);
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const refresh = (message?: string) => {
    setNotice(message);
    void invalidate(`/branches/${id}/members`);
  };
  async function act(work: () => Promise<unknown>, message: string) {
    setFailure(undefined);
    try {
      await work();
      refresh(message);
    } catch (e) {
      setFailure(errorText(toApiError(e), t));
    }
  }
  return (
    <section>
      <h1>{t('membersTitle')}</h1>
      {keeper && <MemberForm branchId={id} onAdded={(m) => refresh(t('memberAdded', { name: m.name }))} />}
      {keeper && <MemberImportForm branchId={id} onImported={(r) => refresh(r.applied ? t('memberImported', { created: r.created, updated: r.updated }) : undefined)} />}
      {notice && <Notice>{notice}</Notice>}
      {failure && <FormError messages={[failure]} />}
      <Checkbox label={t('membersIncludeLeft')} checked={includeLeft} onChange={setIncludeLeft} />
      <Loaded state={state}>
        {(list) => (
          <>
            <p data-testid="member-counts">{t('membersCounts', { total: list.total, full: list.full, probationary: list.probationary })}</p>
            <table className="table members-table" data-testid="members">
              <thead>
                <tr>
                  <th scope="col">{t('memberName')}</th>
                  <th scope="col">{t('memberCategory')}</th>
                  <th scope="col">{t('memberJoinedAt')}</th>
                  {keeper && <th scope="col">{t('peopleActions')}</th>}
                </tr>
              </thead>
              <tbody>
                {list.items.length === 0 && (
                  <tr>
                    <td colSpan={keeper ? 4 : 3}>{t('none')}</td>
                  </tr>
                )}
                {list.items.map((m: Member) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    <td>{categoryWords(m, t)}</td>
                    <td>{m.joinedAt ?? '—'}</td>
                    {keeper && (
                      <td>
                        {!m.leftAt && (
                          <>
                            <button type="button" className="button link small" onClick={() => void act(() => api(`/branches/${id}/members/${m.id}`, { method: 'PATCH', body: { category: m.category === 'full' ? 'probationary' : 'full' } }), t('memberSaved', { name: m.name }))}>
                              {m.category === 'full' ? t('memberMakeProbationary') : t('memberMakeFull')}
                            </button>
                            <button
                              type="button"
                              className="button link small"
                              aria-label={t('memberLeaveN', { name: m.name })}
                              onClick={() => window.confirm(t('memberLeaveConfirm', { name: m.name })) && void act(() => api(`/branches/${id}/members/${m.id}`, { method: 'DELETE' }), t('memberLeft', { name: m.name }))}
                            >
                              {t('memberLeave')}
                            </button>
                          </>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </section>
  );
}

function categoryWords(m: Member, t: Translate): string {
  const category = m.category === 'full' ? t('memberFull') : t('memberProbationary');
  return m.leftAt ? `${category}（${t('memberLeftOn', { date: m.leftAt })}）` : category;
}

function MemberForm({ branchId, onAdded }: { branchId: string; onAdded: (m: Member) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [category, setCategory] = useState<Member['category']>('full');
  const [joinedAt, setJoinedAt] = useState('');
  const form = useFormSubmit(['name', 'category', 'joinedAt'], { fields: { name: t('memberNameInvalid'), joinedAt: t('memberJoinedAtInvalid') } });
  function submit(event: FormEvent) {
    event.preventDefault();
    void form.run(async () => {
      const added = await api<Member>(`/branches/${branchId}/members`, { method: 'POST', body: { name, category, ...(joinedAt ? { joinedAt } : {}) } });
      setName('');
      setJoinedAt('');
      onAdded(added);
    });
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={t('memberAdd')}>
      <h2>{t('memberAdd')}</h2>
      <div className="inline-form">
        <Field label={t('memberName')} errors={form.fields.name}>{(p) => <input {...p} value={name} maxLength={50} required onChange={(e) => setName(e.target.value)} />}</Field>
        <SelectField label={t('memberCategory')} value={category} options={[['full', t('memberFull')], ['probationary', t('memberProbationary')]]} onChange={(v) => setCategory(v as Member['category'])} errors={form.fields.category} />
        <Field label={t('memberJoinedAt')} errors={form.fields.joinedAt}>{(p) => <input {...p} type="date" value={joinedAt} onChange={(e) => setJoinedAt(e.target.value)} />}</Field>
        <button type="submit" className="button primary" disabled={form.busy}>{form.busy ? <Spinner label={t('saving')} /> : t('memberAddButton')}</button>
      </div>
      <FormError messages={form.other} />
    </form>
  );
}

function MemberImportForm({ branchId, onImported }: { branchId: string; onImported: (result: MemberImport) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<MemberImport>();
  const form = useFormSubmit(['file']);
  useEffect(() => setResult(undefined), [file]);
  const send = (dryRun: boolean) =>
    form.run(async () => {
      if (!file) return;
      const body = new FormData();
      body.append('file', file);
      const answer = await api<MemberImport>(`/branches/${branchId}/members/import`, { method: 'POST', body, query: dryRun ? { dryRun: 'true' } : undefined });
      setResult(answer);
      onImported(answer);
    });
  return (
    <form className="panel" aria-label={t('memberImport')} onSubmit={(e) => e.preventDefault()}>
      <h2>{t('memberImport')}</h2>
      <p className="muted">{t('memberImportHint')}</p>
      <Field label={t('memberImportFile')}>{(p) => <input {...p} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}</Field>
      <div className="toolbar">
        <button type="button" className="button secondary" disabled={!file || form.busy} onClick={() => void send(true)}>{t('memberImportPreview')}</button>
        <button type="button" className="button primary" disabled={!file || form.busy} onClick={() => void send(false)}>{t('memberImportApply')}</button>
      </div>
      <FormError messages={form.other} />
      {result && (
        <div role="status" data-testid="member-import-result">
          <p>{t('memberImportSummary', { rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged })}</p>
          {result.errors.length > 0 && (
            <ul className="field-error">
              {result.errors.map((e) => (
                <li key={e.row}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

