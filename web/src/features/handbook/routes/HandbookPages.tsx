import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, download } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime, fromBeijingInput, toBeijingInput } from '../../../shared/format';
import { Field, FormError, Notice, SelectField, useFormSubmit } from '../../../shared/forms';
import { useApi, useInvalidate } from '../../../shared/queries';
import {
  attachmentUrl,
  currentYear,
  itemsOf,
  type BranchMember,
  type BranchRecord,
  type NormKind,
  type PlanLine,
  type RecordAttachment,
  type RecordPage,
  type RecordSummary,
  type RecordStatus,
} from '../api';

const PAGE_SIZE = 20;
const STATUS_KEYS: Record<RecordStatus, MessageKey> = { draft: 'hbStatusDraft', submitted: 'hbStatusSubmitted', accepted: 'hbStatusAccepted', returned: 'hbStatusReturned' };
const REQUIREMENT_KEYS: Record<string, MessageKey> = { attendance: 'hbAttendance', topic: 'hbTitle', minutes: 'hbMinutes', photos: 'hbPhoto', signInSheet: 'hbSignInSheet' };
const CORRECTABLE: Array<[string, MessageKey]> = [
  ['title', 'hbTitle'],
  ['place', 'hbPlace'],
  ['chair', 'hbChair'],
  ['recorder', 'hbRecorder'],
  ['minutes', 'hbMinutes'],
  ['resolutions', 'hbResolutions'],
];

function StatusBadge({ status }: { status: RecordStatus }) {
  const { t } = useI18n();
  return <span className={`badge record-${status}`} data-testid="record-status">{t(STATUS_KEYS[status])}</span>;
}

/** A record in a list: its title (opening the record) and status, then the lines that list tells about it. */
function RecordCard({ record, children }: { record: RecordSummary; children: ReactNode }) {
  return (
    <li>
      <article className="card" aria-label={record.title}>
        <h3>
          <Link to={`/handbook/records/${record.id}`}>{record.title}</Link> <StatusBadge status={record.status} />
        </h3>
        {children}
      </article>
    </li>
  );
}

/** The names of the year's kinds of activity, `other` included. */
function useKinds(year: number): { kinds: NormKind[]; name: (kind: string) => string } {
  const { t } = useI18n();
  const norms = useApi<{ items: NormKind[] }>('/norms', { year });
  const kinds = itemsOf(norms.data);
  return { kinds, name: (kind) => (kind === 'other' ? t('hbKindOther') : (kinds.find((k) => k.kind === kind)?.name ?? kind)) };
}

/**
 * The branch's handbook (支部工作手册): its records of a year, newest first, and the printed year. The secretary
 * reads their own branch's (/handbook); admins open a branch's from the review queue (/branches/:branchId/handbook).
 */
export function HandbookPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const params = useParams();
  const branchId = params.branchId ?? me?.branchId ?? '';
  const [year, setYear] = useState(currentYear());
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string>();
  const records = useApi<RecordPage>(`/branches/${branchId}/records`, { year, page, pageSize: PAGE_SIZE }, { enabled: Boolean(branchId) });
  const { name } = useKinds(year);
  const years = [currentYear(), currentYear() - 1, currentYear() - 2];

  async function save(format: 'pdf' | 'xlsx') {
    setError(undefined);
    try {
      await download(`/branches/${branchId}/handbook/${year}`, `${t(format === 'pdf' ? 'hbHandbookFile' : 'hbLedgerFile', { year })}.${format}`, { format });
    } catch (e) {
      setError(errorText(toApiError(e), t));
    }
  }

  if (!branchId) return <p className="empty">{t('hbNoBranch')}</p>;
  return (
    <section>
      <div className="page-head">
        <h1>{t('hbTitlePage')}</h1>
        {me?.role === 'secretary' && !params.branchId && (
          <Link className="button primary" to="/handbook/new">
            {t('hbNew')}
          </Link>
        )}
      </div>
      <p className="muted">{t('hbIntro')}</p>
      <div className="actions">
        <SelectField label={t('hbYear')} value={String(year)} options={years.map((y) => [String(y), String(y)])} onChange={(v) => (setYear(Number(v)), setPage(1))} />
        <button type="button" className="button secondary" onClick={() => void save('pdf')}>
          {t('hbDownloadPdf')}
        </button>
        <button type="button" className="button secondary" onClick={() => void save('xlsx')}>
          {t('hbDownloadXlsx')}
        </button>
      </div>
      <FormError messages={error ? [error] : undefined} />
      <Loaded state={records}>
        {(data) => (
          <PagedList data={data} empty={t('hbEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="record-list" testId="records">
            {(r) => (
              <RecordCard key={r.id} record={r}>
                <p className="meta">
                  {name(r.kind)} · {formatDateTime(r.heldAt, lang)} · {r.place}
                </p>
                <p className="meta">{t('hbCounts', { full: r.presentFull, probationary: r.presentProbationary, absent: r.absentCount })}</p>
              </RecordCard>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

/** The unit admin's (and the department's) queue of records waiting for review, oldest first. */
export function RecordReviewQueuePage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const queue = useApi<RecordPage>('/records', { status: 'submitted', page, pageSize: PAGE_SIZE });
  const { name } = useKinds(currentYear());
  return (
    <section>
      <h1>{t('hbReviewTitle')}</h1>
      <p className="muted">{t('hbReviewIntro')}</p>
      <Loaded state={queue}>
        {(data) => (
          <PagedList data={data} empty={t('hbReviewEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="record-list" testId="record-queue">
            {(r) => (
              <RecordCard key={r.id} record={r}>
                <p className="meta">
                  <Link to={`/branches/${r.branchId}/handbook`}>{r.branchName}</Link> · {name(r.kind)} · {formatDateTime(r.heldAt, lang)}
                </p>
                <p className="meta">
                  {t('hbSubmittedAt')} {formatDateTime(r.submittedAt, lang)} · {t('hbCounts', { full: r.presentFull, probationary: r.presentProbationary, absent: r.absentCount })}
                </p>
              </RecordCard>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

/** A new record: the form; once saved, its page takes photos and sends it for review. */
export function NewRecordPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  return (
    <section>
      <p>
        <Link to="/handbook">← {t('hbTitlePage')}</Link>
      </p>
      <h1>{t('hbNew')}</h1>
      {me?.branchId ? <RecordForm branchId={me.branchId} /> : <p className="empty">{t('hbNoBranch')}</p>}
    </section>
  );
}

/** One record: editable by its secretary while draft or returned; otherwise read, reviewed or corrected. */
export function RecordPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const record = useApi<BranchRecord>(`/records/${id}`);
  return (
    <section>
      <p>
        <Link to={me?.role === 'admin' ? '/handbook/review' : '/handbook'}>← {t(me?.role === 'admin' ? 'hbReviewTitle' : 'hbTitlePage')}</Link>
      </p>
      <Loaded state={record}>
        {(r) => {
          const editable = me?.role === 'secretary' && me.branchId === r.branchId && (r.status === 'draft' || r.status === 'returned');
          return (
            <>
              <div className="page-head">
                <h1>{r.title}</h1>
                <StatusBadge status={r.status} />
              </div>
              {r.status === 'returned' && r.reviewComment && (
                <div className="alert alert-error" role="alert" data-testid="review-comment">
                  {t('hbReturnedWith')}
                  {r.reviewComment}
                </div>
              )}
              {editable ? (
                <>
                  <RecordForm branchId={r.branchId} record={r} />
                  <Attachments record={r} editable />
                  <SubmitRecord record={r} />
                </>
              ) : (
                <>
                  <RecordView record={r} />
                  <Attachments record={r} editable={false} />
                  {me?.role === 'admin' && r.status === 'submitted' && <ReviewForm record={r} />}
                  {me?.role === 'secretary' && r.status === 'accepted' && <CorrectionForm record={r} />}
                  <Corrections record={r} />
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

interface Mark {
  present: boolean;
  reason: string;
}

function RecordForm({ branchId, record }: { branchId: string; record?: BranchRecord }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const invalidate = useInvalidate();
  const [kind, setKind] = useState(record?.kind ?? '');
  const [title, setTitle] = useState(record?.title ?? '');
  const [heldAt, setHeldAt] = useState(toBeijingInput(record?.heldAt));
  const [place, setPlace] = useState(record?.place ?? '');
  const [chair, setChair] = useState(record?.chair ?? '');
  const [recorder, setRecorder] = useState(record?.recorder ?? '');
  const [minutes, setMinutes] = useState(record?.minutes ?? '');
  const [resolutions, setResolutions] = useState(record?.resolutions ?? '');
  const [planItemId, setPlanItemId] = useState(record?.planItemId ?? '');
  const [marks, setMarks] = useState<Record<string, Mark>>(() =>
    Object.fromEntries([
      ...(record?.attendance.present ?? []).map((a) => [a.memberId, { present: true, reason: '' }]),
      ...(record?.attendance.absent ?? []).map((a) => [a.memberId, { present: false, reason: a.reason ?? '' }]),
    ]),
  );
  const [saved, setSaved] = useState(false);
  const year = heldAt ? Number(heldAt.slice(0, 4)) : currentYear();
  const { kinds } = useKinds(year);
  const members = useApi<BranchMember[] | { items: BranchMember[] }>(`/branches/${branchId}/members`);
  const plan = useApi<{ items: PlanLine[] }>(`/branches/${branchId}/plans/${year}`);
  const { busy, fields, other, run } = useFormSubmit(['kind', 'title', 'heldAt', 'place', 'chair', 'recorder', 'attendance', 'minutes', 'resolutions', 'planItemId']);

  // Those on the list now, and anyone the record names who has since left it.
  const listed = itemsOf(members.data).filter((m) => !m.leftAt);
  const named = [...(record?.attendance.present ?? []), ...(record?.attendance.absent ?? [])].filter((a) => !listed.some((m) => m.id === a.memberId));
  const people: BranchMember[] = [...listed, ...named.map((a) => ({ id: a.memberId, name: a.name, category: a.category }))];
  const mark = (memberId: string): Mark => marks[memberId] ?? { present: true, reason: '' };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const attendance = {
        present: people.filter((p) => mark(p.id).present).map((p) => p.id),
        absent: people.filter((p) => !mark(p.id).present).map((p) => ({ memberId: p.id, reason: mark(p.id).reason })),
      };
      const body = { kind, title, heldAt: fromBeijingInput(heldAt), place, chair, recorder, attendance, minutes, resolutions, planItemId: planItemId || null };
      if (record) {
        await api(`/records/${record.id}`, { method: 'PATCH', body });
        await invalidate(`/records/${record.id}`, `/branches/${branchId}/records`);
        setSaved(true);
      } else {
        const created = await api<BranchRecord>(`/branches/${branchId}/records`, { method: 'POST', body });
        await invalidate(`/branches/${branchId}/records`);
        navigate(`/handbook/records/${created.id}`);
      }
    });
  }

  return (
    <form className="panel record-form" onSubmit={submit} noValidate aria-label={t('hbFormLabel')}>
      <SelectField
        label={t('hbKind')}
        errors={fields.kind}
        value={kind}
        empty={t('hbKindChoose')}
        options={[...kinds.map((k): [string, string] => [k.kind, k.name]), ['other', t('hbKindOther')]]}
        onChange={setKind}
      />
      <Field label={t('hbTitle')} errors={fields.title}>
        {(p) => <input {...p} name="title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('hbHeldAt')} errors={fields.heldAt} hint={t('hbBeijingTime')}>
        {(p) => <input {...p} name="heldAt" type="datetime-local" value={heldAt} onChange={(e) => setHeldAt(e.target.value)} />}
      </Field>
      <Field label={t('hbPlace')} errors={fields.place}>
        {(p) => <input {...p} name="place" type="text" maxLength={200} value={place} onChange={(e) => setPlace(e.target.value)} />}
      </Field>
      <div className="two-col">
        <Field label={t('hbChair')} errors={fields.chair}>
          {(p) => <input {...p} name="chair" type="text" maxLength={50} value={chair} onChange={(e) => setChair(e.target.value)} />}
        </Field>
        <Field label={t('hbRecorder')} errors={fields.recorder}>
          {(p) => <input {...p} name="recorder" type="text" maxLength={50} value={recorder} onChange={(e) => setRecorder(e.target.value)} />}
        </Field>
      </div>
      {plan.data && itemsOf(plan.data).length > 0 && (
        <SelectField
          label={t('hbPlanItem')}
          errors={fields.planItemId}
          value={planItemId}
          empty={t('hbPlanItemNone')}
          options={itemsOf(plan.data).map((i): [string, string] => [i.id, t('hbPlanLine', { month: i.month, title: i.title })])}
          onChange={setPlanItemId}
        />
      )}
      <fieldset className={`attendance${fields.attendance?.length ? ' field-invalid' : ''}`}>
        <legend>{t('hbAttendance')}</legend>
        {members.isLoading && <Spinner />}
        {!members.isLoading && people.length === 0 && <p className="empty">{t('hbNoMembers')}</p>}
        <ul className="attendance-list">
          {people.map((person) => {
            const m = mark(person.id);
            return (
              <li key={person.id} data-testid="attendee">
                <span className="attendee-name">
                  {person.name} <span className="tag">{t(person.category === 'full' ? 'hbFull' : 'hbProbationary')}</span>
                </span>
                <label>
                  <input type="radio" name={`att-${person.id}`} checked={m.present} onChange={() => setMarks({ ...marks, [person.id]: { ...m, present: true } })} /> {t('hbPresent')}
                </label>
                <label>
                  <input type="radio" name={`att-${person.id}`} checked={!m.present} onChange={() => setMarks({ ...marks, [person.id]: { ...m, present: false } })} /> {t('hbAbsent')}
                </label>
                {!m.present && (
                  <input
                    type="text"
                    aria-label={t('hbAbsentReasonFor', { name: person.name })}
                    placeholder={t('hbAbsentReason')}
                    maxLength={200}
                    value={m.reason}
                    onChange={(e) => setMarks({ ...marks, [person.id]: { ...m, reason: e.target.value } })}
                  />
                )}
              </li>
            );
          })}
        </ul>
        {fields.attendance?.length ? (
          <p className="field-error" role="alert">
            {fields.attendance.join('；')}
          </p>
        ) : null}
      </fieldset>
      <Field label={t('hbMinutes')} errors={fields.minutes} hint={t('hbMarkdown')}>
        {(p) => <textarea {...p} name="minutes" rows={8} value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
      </Field>
      <Field label={t('hbResolutions')} errors={fields.resolutions}>
        {(p) => <textarea {...p} name="resolutions" rows={3} value={resolutions} onChange={(e) => setResolutions(e.target.value)} />}
      </Field>
      <FormError messages={other} />
      {saved && <Notice>{t('hbSaved')}</Notice>}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : record ? t('save') : t('hbCreate')}
      </button>
    </form>
  );
}

function RecordView({ record: r }: { record: BranchRecord }) {
  const { t, lang } = useI18n();
  const { name } = useKinds(r.year);
  return (
    <article className="panel record-view" aria-label={t('hbRecordLabel')}>
      <dl className="record-facts">
        <dt>{t('hbKind')}</dt>
        <dd>{name(r.kind)}</dd>
        <dt>{t('hbHeldAt')}</dt>
        <dd>{formatDateTime(r.heldAt, lang)}</dd>
        <dt>{t('hbPlace')}</dt>
        <dd>{r.place || '—'}</dd>
        <dt>{t('hbChair')}</dt>
        <dd>{r.chair ?? '—'}</dd>
        <dt>{t('hbRecorder')}</dt>
        <dd>{r.recorder ?? '—'}</dd>
        <dt>{t('hbBranch')}</dt>
        <dd>{r.branchName}</dd>
      </dl>
      <h2>{t('hbAttendance')}</h2>
      <p>{t('hbCounts', { full: r.presentFull, probationary: r.presentProbationary, absent: r.absentCount })}</p>
      <p>
        {t('hbPresent')}：{r.attendance.present.map((a) => a.name).join('、') || '—'}
      </p>
      {r.attendance.absent.length > 0 && (
        <p>
          {t('hbAbsent')}：{r.attendance.absent.map((a) => `${a.name}（${a.reason ?? ''}）`).join('、')}
        </p>
      )}
      <h2>{t('hbMinutes')}</h2>
      <div className="reading-body" dangerouslySetInnerHTML={{ __html: r.minutesHtml }} />
      {r.resolutions && (
        <>
          <h2>{t('hbResolutions')}</h2>
          <p className="plain-text">{r.resolutions}</p>
        </>
      )}
      {r.reviewComment && r.status === 'accepted' && (
        <p className="meta">
          {t('hbReviewComment')}：{r.reviewComment}
          {r.reviewedBy ? ` · ${r.reviewedBy.name}` : ''}
        </p>
      )}
    </article>
  );
}

function Photo({ attachment }: { attachment: RecordAttachment }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let url: string | undefined;
    let live = true;
    if (attachment.mimeType === 'image/jpeg' || attachment.mimeType === 'image/png') {
      void attachmentUrl(attachment.url).then((u) => {
        url = u;
        if (live) setSrc(u);
      });
    }
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [attachment.url, attachment.mimeType]);
  return src ? <img src={src} alt={attachment.fileName} className="record-photo" /> : <span className="record-file">{attachment.fileName}</span>;
}

/** Photos (from the phone's camera), the scanned sign-in sheet and other files of a record. */
function Attachments({ record, editable }: { record: BranchRecord; editable: boolean }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function upload(file: File | undefined, kind: 'photo' | 'signInSheet') {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const form = new FormData();
      form.append('file', file);
      await api(`/records/${record.id}/attachments`, { method: 'POST', body: form, query: { kind } });
      await invalidate(`/records/${record.id}`);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }

  async function remove(attachment: RecordAttachment) {
    setError(undefined);
    try {
      await api(attachment.url.replace(/^\/api/, ''), { method: 'DELETE' });
      await invalidate(`/records/${record.id}`);
    } catch (e) {
      setError(errorText(toApiError(e), t));
    }
  }

  return (
    <section className="panel" aria-labelledby="record-files">
      <h2 id="record-files">{t('hbAttachments')}</h2>
      {record.attachments.length === 0 && <p className="empty">{t('hbNoAttachments')}</p>}
      <ul className="record-photos" data-testid="attachments">
        {record.attachments.map((a) => (
          <li key={a.id}>
            <Photo attachment={a} />
            <span className="meta">{a.kind === 'signInSheet' ? t('hbSignInSheet') : a.kind === 'photo' ? t('hbPhoto') : t('hbDocument')}</span>
            {editable && (
              <button type="button" className="button secondary small" onClick={() => void remove(a)}>
                {t('hbRemove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <div className="actions">
          <label className="button secondary file-button">
            {t('hbTakePhoto')}
            <input type="file" accept="image/*" capture="environment" className="visually-hidden" disabled={busy} onChange={(e) => void upload(e.target.files?.[0], 'photo')} />
          </label>
          <label className="button secondary file-button">
            {t('hbAddSignIn')}
            <input type="file" accept="image/*,application/pdf" className="visually-hidden" disabled={busy} onChange={(e) => void upload(e.target.files?.[0], 'signInSheet')} />
          </label>
          {busy && <Spinner label={t('hbUploading')} />}
        </div>
      )}
      <FormError messages={error ? [error] : undefined} />
    </section>
  );
}

function SubmitRecord({ record }: { record: BranchRecord }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function submit() {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/records/${record.id}/submit`, { method: 'POST' });
      await invalidate(`/records/${record.id}`, `/branches/${record.branchId}/records`);
    } catch (e) {
      const error = toApiError(e);
      // The server names what the norm still asks for.
      const missing = Array.isArray(error.body.missing) ? (error.body.missing as string[]) : [];
      setError(error.code === 'RECORD_INCOMPLETE' && missing.length ? t('hbMissing', { what: missing.map((m) => t(REQUIREMENT_KEYS[m] ?? 'hbReqOther')).join(t('hbListSeparator')) }) : errorText(error, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="panel">
      <p className="muted">{t('hbSubmitHint')}</p>
      <FormError messages={error ? [error] : undefined} />
      <button type="button" className="button primary" disabled={busy} onClick={() => void submit()}>
        {busy ? <Spinner label={t('saving')} /> : t('hbSubmit')}
      </button>
    </div>
  );
}

function ReviewForm({ record }: { record: BranchRecord }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [comment, setComment] = useState('');
  const { busy, fields, other, run } = useFormSubmit(['comment']);
  const decide = (decision: 'accept' | 'return') =>
    run(async () => {
      await api(`/records/${record.id}/review`, { method: 'POST', body: { decision, ...(comment ? { comment } : {}) } });
      await invalidate(`/records/${record.id}`, '/records');
    });
  return (
    <form className="panel" aria-label={t('hbReviewForm')} onSubmit={(e) => e.preventDefault()}>
      <h2>{t('hbReviewForm')}</h2>
      <Field label={t('hbReviewComment')} errors={fields.comment} hint={t('hbReviewCommentHint')}>
        {(p) => <textarea {...p} name="comment" rows={3} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      <FormError messages={other} />
      <div className="actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void decide('accept')}>
          {t('hbAccept')}
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => void decide('return')}>
          {t('hbReturn')}
        </button>
      </div>
    </form>
  );
}

function CorrectionForm({ record }: { record: BranchRecord }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const [field, setField] = useState('place');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const { busy, fields, other, run } = useFormSubmit(['field', 'value', 'reason']);
  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/records/${record.id}/corrections`, { method: 'POST', body: { field, value, reason } });
      setValue('');
      setReason('');
      await invalidate(`/records/${record.id}`);
    });
  }
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={t('hbCorrect')}>
      <h2>{t('hbCorrect')}</h2>
      <p className="muted">{t('hbCorrectHint')}</p>
      <SelectField label={t('hbCorrectField')} errors={fields.field} value={field} options={CORRECTABLE.map(([f, key]): [string, string] => [f, t(key)])} onChange={setField} />
      <Field label={t('hbCorrectValue')} errors={fields.value}>
        {(p) => <textarea {...p} name="value" rows={2} value={value} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <Field label={t('hbCorrectReason')} errors={fields.reason}>
        {(p) => <input {...p} name="reason" type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <FormError messages={other} />
      <button type="submit" className="button secondary" disabled={busy}>
        {t('hbCorrectSubmit')}
      </button>
    </form>
  );
}

function Corrections({ record }: { record: BranchRecord }) {
  const { t, lang } = useI18n();
  if (!record.corrections.length) return null;
  const label = (field: string) => t(CORRECTABLE.find(([f]) => f === field)?.[1] ?? 'hbTitle');
  return (
    <section className="panel" aria-labelledby="record-corrections">
      <h2 id="record-corrections">{t('hbCorrections')}</h2>
      <ol data-testid="corrections">
        {record.corrections.map((c) => (
          <li key={c.id}>
            {t('hbCorrectionLine', { at: formatDateTime(c.createdAt, lang), who: c.author.name, field: label(c.field), from: c.oldValue ?? '', to: c.newValue, reason: c.reason })}
          </li>
        ))}
      </ol>
    </section>
  );
}
