import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../../../api/client';
import type { Course } from '../../../api/types';
import { type MessageKey, type Translate, useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { formatDateTime } from '../../../shared/format';
import { Checkbox, Field, FormError, Notice, useFormSubmit, SelectField } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { useCourses } from '../../courses/api';
import type { Schema } from '../../../api/types';

type SuggestionStatus = 'received' | 'adopted' | 'answered';

type Suggestion = Schema<'SuggestionResponse'>;

const PAGE_SIZE = 20;
const STATUS_KEYS: Record<SuggestionStatus, MessageKey> = { received: 'suggestionReceived', adopted: 'suggestionAdopted', answered: 'suggestionAnswered' };
const statusOptions = (t: Translate) => (Object.keys(STATUS_KEYS) as SuggestionStatus[]).map((s): [string, string] => [s, t(STATUS_KEYS[s])]);


/** Everyone: write to the department (建言献策) and follow my suggestions and their answers. */
export function SuggestionsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const courses = useCourses();
  const [page, setPage] = useState(1);
  const mine = useApi<Page<Suggestion>>('/suggestions', { page, pageSize: PAGE_SIZE, mine: me?.role === 'admin' ? 'true' : undefined });
  const titles = new Map((courses.data?.items ?? []).map((c) => [c.id, c.title]));

  return (
    <section>
      <div className="page-head">
        <h1>{t('suggestionsTitle')}</h1>
        {me?.role === 'admin' && (
          <Link className="button secondary" to="/suggestions/inbox">
            {t('suggestionsInbox')}
          </Link>
        )}
      </div>
      <p className="muted">{t('suggestionsIntro')}</p>
      <SuggestionForm courses={courses.data?.items ?? []} onDone={() => (page === 1 ? mine.refetch() : setPage(1))} />
      <h2>{t('suggestionsMine')}</h2>
      <Loaded state={mine}>
        {(data) => (
          <PagedList data={data} empty={t('suggestionsEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="suggestion-list" testId="my-suggestions">
            {(s) => (
              <li key={s.id}>
                <SuggestionCard suggestion={s} courseTitle={s.courseId ? titles.get(s.courseId) : undefined} />
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

function SuggestionForm({ courses, onDone }: { courses: Course[]; onDone: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [courseId, setCourseId] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [sent, setSent] = useState(false);
  const { busy, fields, other, run } = useFormSubmit(['title', 'body', 'courseId']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(false);
    await run(async () => {
      await api('/suggestions', { method: 'POST', body: { title, body, anonymous, ...(courseId ? { courseId } : {}) } });
      setTitle('');
      setBody('');
      setCourseId('');
      setAnonymous(false);
      setSent(true);
      onDone();
    });
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="suggestion-new">
      <h2 id="suggestion-new">{t('suggestionNew')}</h2>
      <Field label={t('suggestionTitle')} errors={fields.title}>
        {(p) => <input {...p} name="title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('suggestionBody')} errors={fields.body}>
        {(p) => <textarea {...p} name="body" rows={6} maxLength={10_000} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <SelectField label={t('suggestionCourse')} errors={fields.courseId} value={courseId} empty={t('suggestionNoCourse')} options={courses.map((c) => [c.id, c.title])} onChange={setCourseId} />
      <Checkbox label={t('suggestionAnonymous')} checked={anonymous} onChange={setAnonymous} />
      <FormError messages={other} />
      {sent && <Notice>{t('suggestionSent')}</Notice>}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : t('suggestionSubmit')}
      </button>
    </form>
  );
}

function SuggestionCard({ suggestion: s, courseTitle, children }: { suggestion: Suggestion; courseTitle?: string; children?: ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <article className="card suggestion" aria-label={s.title} data-testid="suggestion">
      <h3>
        <Link to={`/suggestions/${s.id}`}>{s.title}</Link> <span className={`badge suggestion-${s.status}`}>{t(STATUS_KEYS[s.status])}</span>
      </h3>
      <p className="meta">
        {s.author ? s.author.name : t('suggestionAnonymousAuthor')}
        {s.anonymous && s.author ? ` · ${t('suggestionAnonymousTag')}` : ''} · {formatDateTime(s.createdAt, lang)}
        {courseTitle ? ` · ${courseTitle}` : ''}
      </p>
      <p className="plain-text">{s.body}</p>
      {s.reply && (
        <div className="alert alert-ok suggestion-reply" data-testid="suggestion-reply">
          <p>
            <strong>{t('suggestionReplyFrom')}</strong> <span className="muted">{formatDateTime(s.repliedAt, lang)}</span>
          </p>
          <p className="plain-text">{s.reply}</p>
        </div>
      )}
      {children}
    </article>
  );
}

/** One suggestion (where its notification leads); the department answers here too. */
export function SuggestionPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const suggestion = useApi<Suggestion>(`/suggestions/${id}`);
  const courses = useCourses();
  const department = me?.role === 'admin' && !me.unitId;
  return (
    <section>
      <p>
        <Link to={me?.role === 'admin' ? '/suggestions/inbox' : '/suggestions'}>← {me?.role === 'admin' ? t('suggestionsInbox') : t('suggestionsTitle')}</Link>
      </p>
      <Loaded state={suggestion}>
        {(s) => (
          <SuggestionCard suggestion={s} courseTitle={s.courseId ? courses.data?.items.find((c) => c.id === s.courseId)?.title : undefined}>
            {department && <ReplyForm suggestion={s} onDone={suggestion.refetch} />}
          </SuggestionCard>
        )}
      </Loaded>
    </section>
  );
}

/** The department's inbox (unit admins: their unit's, read only): filter by status, answer and set the status. */
export function SuggestionsInboxPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const department = me?.role === 'admin' && !me.unitId;
  const courses = useCourses();
  const [status, setStatus] = useState<SuggestionStatus | ''>('');
  const [page, setPage] = useState(1);
  const list = useApi<Page<Suggestion>>('/suggestions', { page, pageSize: PAGE_SIZE, status });
  const titles = new Map((courses.data?.items ?? []).map((c) => [c.id, c.title]));

  return (
    <section>
      <div className="page-head">
        <h1>{t('suggestionsInbox')}</h1>
        <Link className="button secondary" to="/suggestions">
          {t('suggestionNew')}
        </Link>
      </div>
      {!department && <p className="muted">{t('suggestionsUnitReadOnly')}</p>}
      <div className="toolbar">
        <SelectField label={t('status')} value={status} empty={t('all')} options={statusOptions(t)} onChange={(v) => { setStatus(v as SuggestionStatus | ''); setPage(1); }} />
      </div>
      <Loaded state={list}>
        {(data) => (
          <PagedList data={data} empty={t('suggestionsEmpty')} page={page} pageSize={PAGE_SIZE} onPage={setPage} className="suggestion-list" testId="inbox">
            {(s) => (
              <li key={s.id}>
                <SuggestionCard suggestion={s} courseTitle={s.courseId ? titles.get(s.courseId) : undefined}>
                  {department && <ReplyForm suggestion={s} onDone={list.refetch} />}
                </SuggestionCard>
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

function ReplyForm({ suggestion, onDone }: { suggestion: Suggestion; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reply, setReply] = useState(suggestion.reply ?? '');
  const [status, setStatus] = useState<SuggestionStatus>(suggestion.status === 'received' ? 'answered' : suggestion.status);
  const { busy, fields, other, run } = useFormSubmit(['reply', 'status']);

  if (!open) {
    return (
      <button type="button" className="button secondary" onClick={() => setOpen(true)}>
        {suggestion.reply ? t('suggestionEditReply') : t('suggestionReply')}
      </button>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/suggestions/${suggestion.id}/reply`, { method: 'POST', body: { reply, status } });
      setOpen(false);
      onDone();
    });
  }

  return (
    <form className="reply-form" onSubmit={submit} noValidate aria-label={t('suggestionReplyTo', { title: suggestion.title })}>
      <Field label={t('suggestionReplyText')} errors={fields.reply}>
        {(p) => <textarea {...p} rows={4} maxLength={10_000} value={reply} onChange={(e) => setReply(e.target.value)} />}
      </Field>
      <SelectField label={t('suggestionStatus')} errors={fields.status} className="narrow-field" value={status} options={statusOptions(t)} onChange={(v) => setStatus(v as SuggestionStatus)} />
      <FormError messages={other} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={t('saving')} /> : t('suggestionSendReply')}
        </button>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
