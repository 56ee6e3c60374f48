import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../api/client';
import { type MessageKey, useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Field, FormError, Notice, SaveOrCancel, SearchBox } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { emptyQuestion, questionBody, QuestionEditor, questionValues, type QuestionValues, splitTags } from '../components/QuestionEditor';
import { useCourse } from '../../courses/api';
import type { Schema } from '../../../api/types';

type Errors = Record<string, string[]>;
const BANK_PAGE = 20;

export type BankQuestion = Schema<'BankQuestionResponse'>;

export type BankPage = Schema<'BankQuestionPageResponse'>;

export const KIND_KEYS: Record<string, MessageKey> = { single: 'kindSingle', multiple: 'kindMultiple', truefalse: 'kindTruefalse', text: 'kindText' };

/** The course's question bank (题库): tag chips and search, add and edit questions, archive and restore. */
export function QuestionBankPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const [tag, setTag] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'live' | 'archived' | 'all'>('live');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [notice, setNotice] = useState<string>();
  const [rowError, setRowError] = useState<Record<string, string[]>>({});
  const [busyId, setBusyId] = useState<string>();
  const course = useCourse(id);
  const bank = useApi<BankPage>(`/courses/${id}/questions`, { tag, q, status, page, pageSize: BANK_PAGE });

  const filter = (next: { tag?: string; q?: string; status?: typeof status }) => {
    if (next.tag !== undefined) setTag(next.tag);
    if (next.q !== undefined) setQ(next.q);
    if (next.status !== undefined) setStatus(next.status);
    setPage(1);
  };

  async function archive(question: BankQuestion) {
    setBusyId(question.id);
    setNotice(undefined);
    try {
      await api(`/questions/${question.id}/${question.archivedAt ? 'unarchive' : 'archive'}`, { method: 'POST' });
      setRowError((r) => ({ ...r, [question.id]: [] }));
      bank.refetch();
    } catch (e) {
      // QUESTION_IN_USE names each published quiz that could no longer draw its questions.
      const error = toApiError(e);
      setRowError((r) => ({ ...r, [question.id]: error.code === 'NETWORK' ? [errorText(error, t)] : error.messages }));
    } finally {
      setBusyId(undefined);
    }
  }

  const saved = (message: string) => {
    setEditing(null);
    setNotice(message);
    bank.refetch();
  };

  return (
    <section>
      <div className="page-head">
        <h1>
          {course.data?.title ?? ''}
          <span className="subtitle">{t('bankTitle')}</span>
        </h1>
        <div className="actions">
          <Link className="button secondary" to={`/courses/${id}/edit`}>
            {t('backToEditor')}
          </Link>
          {editing !== 'new' && (
            <button type="button" className="button primary" onClick={() => { setEditing('new'); setNotice(undefined); }}>
              {t('bankAdd')}
            </button>
          )}
        </div>
      </div>
      <p className="muted">{t('bankIntro')}</p>
      {notice && <Notice>{notice}</Notice>}
      {editing === 'new' && <BankQuestionForm courseId={id} knownTags={bank.data?.tags.map((x) => x.tag) ?? []} onCancel={() => setEditing(null)} onSaved={() => saved(t('bankCreated'))} />}
      <div className="panel bank-filters">
        <div className="chips" role="group" aria-label={t('bankTags')}>
          <button type="button" className="chip" aria-pressed={tag === ''} onClick={() => filter({ tag: '' })}>
            {t('bankAllTags')}
          </button>
          {bank.data?.tags.map((x) => (
            <button key={x.tag} type="button" className="chip" aria-pressed={tag === x.tag} onClick={() => filter({ tag: tag === x.tag ? '' : x.tag })}>
              {x.tag} <span className="chip-count">{x.count}</span>
            </button>
          ))}
        </div>
        <div className="filter-row">
          <SearchBox value={q} onSearch={(text) => filter({ q: text })} label={t('bankSearch')} placeholder={t('bankSearchPlaceholder')} />
          <Field label={t('bankStatus')}>
            {(p) => (
              <select {...p} value={status} onChange={(e) => filter({ status: e.target.value as typeof status })}>
                <option value="live">{t('bankLive')}</option>
                <option value="archived">{t('archived')}</option>
                <option value="all">{t('bankAll')}</option>
              </select>
            )}
          </Field>
        </div>
      </div>
      <Loaded state={bank}>
        {(data) => (
          <PagedList data={data} empty={t('bankEmpty')} page={page} pageSize={BANK_PAGE} onPage={setPage} className="bank-list" testId="bank-questions">
            {(question) => (
              <li key={question.id} className={`panel bank-item${question.archivedAt ? ' archived' : ''}`} aria-label={question.key}>
                {editing === question.id ? (
                  <BankQuestionForm courseId={id} question={question} knownTags={data.tags.map((x) => x.tag)} onCancel={() => setEditing(null)} onSaved={() => saved(t('bankSaved'))} />
                ) : (
                  <>
                    <div className="activity-row">
                      <div>
                        <code className="bank-key">{question.key}</code> <span className="tag">{t(KIND_KEYS[question.kind] ?? 'kindSingle')}</span>{' '}
                        <span className="muted">{t('bankPoints', { n: question.points })}</span>{' '}
                        {question.archivedAt && <span className="badge">{t('archived')}</span>}
                        <p className="bank-prompt">{question.prompt}</p>
                        <p className="badges">
                          {question.tags.map((x) => (
                            <span key={x} className="badge">
                              {x}
                            </span>
                          ))}
                          <span className="muted"> {t('bankUpdated', { date: formatDateTime(question.updatedAt, lang) })}</span>
                        </p>
                      </div>
                      <div className="actions">
                        <button type="button" className="button secondary small" onClick={() => { setEditing(question.id); setNotice(undefined); }} aria-label={`${t('edit')}：${question.key}`}>
                          {t('edit')}
                        </button>
                        <button type="button" className="button secondary small" disabled={busyId === question.id} onClick={() => archive(question)} aria-label={`${question.archivedAt ? t('unarchive') : t('archive')}：${question.key}`}>
                          {busyId === question.id ? <Spinner /> : question.archivedAt ? t('unarchive') : t('archive')}
                        </button>
                      </div>
                    </div>
                    <FormError messages={rowError[question.id]?.length ? rowError[question.id] : undefined} />
                  </>
                )}
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

function BankQuestionForm({ courseId, question, knownTags, onCancel, onSaved }: { courseId: string; question?: BankQuestion; knownTags: string[]; onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState(question?.key ?? '');
  const [tags, setTags] = useState(question?.tags.join('，') ?? '');
  const [value, setValue] = useState<QuestionValues>(() => (question ? questionValues({ ...question, id: undefined } as unknown as Record<string, unknown>) : emptyQuestion()));
  const [errors, setErrors] = useState<Errors>({});
  const [other, setOther] = useState<string[]>();
  const [busy, setBusy] = useState(false);
  const listId = `bank-tags-${question?.id ?? 'new'}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setOther(undefined);
    const body = { ...questionBody(value), key: key.trim(), tags: splitTags(tags), ...(question ? { explanation: value.explanation?.trim() ?? '' } : {}) };
    try {
      if (question) await api(`/questions/${question.id}`, { method: 'PATCH', body });
      else await api(`/courses/${courseId}/questions`, { method: 'POST', body });
      onSaved();
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'QUESTION_KEY_TAKEN') {
        setErrors({ key: error.messages });
      } else if (error.status === 400) {
        // "tags.1: …" belongs to the tags field; "key: …", "answer: …", "options: …" beside their own.
        const { fields, other: rest } = error.fieldErrors();
        const placed: Errors = {};
        for (const [field, messages] of Object.entries(fields)) {
          const name = field.startsWith('tags') ? 'tags' : field === 'body' ? '' : field.split('.')[0];
          if (name) (placed[name] ??= []).push(...messages);
          else rest.push(...messages);
        }
        setErrors(placed);
        setOther(rest.length ? rest : undefined);
      } else {
        setOther(error.code === 'NETWORK' ? [errorText(error, t)] : error.messages);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-grid bank-form" onSubmit={submit} noValidate aria-label={question ? `${t('edit')}：${question.key}` : t('bankAdd')}>
      <Field label={t('bankKey')} errors={errors.key} hint={question ? t('bankKeyFixed') : t('bankKeyHint')}>
        {(p) => <input {...p} name="key" value={key} disabled={Boolean(question)} onChange={(e) => setKey(e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={t('bankTagsField')} errors={errors.tags} hint={t('bankTagsHint')}>
        {(p) => <input {...p} name="tags" list={listId} value={tags} onChange={(e) => setTags(e.target.value)} autoComplete="off" />}
      </Field>
      <datalist id={listId}>
        {knownTags.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <div className="span-2">
        <QuestionEditor index={0} legend={t('bankQuestion')} value={value} errors={errors} onChange={setValue} withExplanation />
      </div>
      <div className="span-2">
        <FormError messages={other} />
        <SaveOrCancel busy={busy} onCancel={onCancel} />
      </div>
    </form>
  );
}
