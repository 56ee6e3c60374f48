import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Page } from '../../../api/client';
import type { Activity } from '../../../api/types';
import { useI18n } from '../../../i18n';
import { PagedList } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner, StateBadge } from '../../../shared/components';
import { formatDateTime } from '../../../shared/format';
import { Field, FormError, useFormSubmit } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { countCharacters } from '../../../shared/text';
import { useMyActivityState } from '../../learning/api';
import { DiscussionSettings, Thread, THREADS_PAGE, ThreadSummary } from '../api';

function threadPath(thread: Pick<ThreadSummary, 'id' | 'activityId' | 'courseId'>): string {
  return thread.activityId ? `/courses/${thread.courseId}/activities/${thread.activityId}/threads/${thread.id}` : `/courses/${thread.courseId}/forum/threads/${thread.id}`;
}

/** Instructors and the department moderate; unit admins only read. */
export function useModerator(): boolean {
  const { me } = useAuth();
  return me?.role === 'instructor' || (me?.role === 'admin' && !me.unitId);
}

/**
 * The discussion activity: its prompt and rules, the threads (pinned first, newest activity), a new thread —
 * not when `readOnly` (past its work window, 补学 included: the threads stay readable).
 */
export function DiscussionLesson({ activity, readOnly = false }: { activity: Activity; readOnly?: boolean }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const settings = activity.settings as unknown as DiscussionSettings;
  const [page, setPage] = useState(1);
  const threads = useApi<Page<ThreadSummary>>(`/activities/${activity.id}/threads`, { page, pageSize: THREADS_PAGE });
  const canPost = !readOnly && !(me?.role === 'admin' && me.unitId);
  const mine = useMyActivityState(activity.courseId, activity.id, me?.role === 'secretary');

  return (
    <>
      <section className="panel" aria-labelledby="discussion-prompt">
        <h2 id="discussion-prompt">{t('discussionPromptTitle')}</h2>
        <p className="prompt">{settings.prompt}</p>
        {mine.data?.state && (
          <p data-testid="my-state">
            {t('myState')} <StateBadge state={mine.data.state} overdue={mine.data.overdue} />
          </p>
        )}
        <p className="muted" data-testid="discussion-rules">
          {t('discussionRules', { posts: settings.minPosts, replies: settings.minReplies })}
          {settings.minPostLength > 0 ? ` ${t('discussionMinLength', { min: settings.minPostLength })}` : ''}
        </p>
      </section>
      <ThreadList threads={threads} page={page} onPage={setPage} empty={t('threadsEmpty')} />
      {canPost && <NewThreadForm postPath={`/activities/${activity.id}/threads`} minLength={settings.minPostLength} />}
    </>
  );
}

/** The threads of a board (pinned first, then the most recently active), paged. */
export function ThreadList({ threads, page, onPage, empty }: { threads: UseQueryResult<Page<ThreadSummary>>; page: number; onPage: (page: number) => void; empty: string }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="threads-title">
      <h2 id="threads-title">{t('threadsTitle')}</h2>
      <Loaded state={threads}>
        {(data) => (
          <PagedList data={data} empty={empty} page={page} pageSize={THREADS_PAGE} onPage={onPage} className="thread-list" testId="threads">
            {(thread) => (
              <li key={thread.id} className={`thread-item${thread.pinned ? ' pinned' : ''}`}>
                <Link to={threadPath(thread)} className="thread-title">
                  {thread.title}
                </Link>{' '}
                <ThreadBadges thread={thread} />
                <p className="meta">
                  {t('threadMeta', { author: thread.authorName ?? '', posts: thread.postCount, date: formatDateTime(thread.lastActivityAt, lang) })}
                </p>
              </li>
            )}
          </PagedList>
        )}
      </Loaded>
    </section>
  );
}

export function ThreadBadges({ thread }: { thread: Pick<ThreadSummary, 'pinned' | 'locked'> }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      {thread.pinned && <span className="badge badge-pinned">{t('threadPinned')}</span>}
      {thread.locked && <span className="badge status-closed">{t('threadLocked')}</span>}
    </span>
  );
}

export function NewThreadForm({ postPath, minLength }: { postPath: string; minLength: number }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const { busy, fields, other, run } = useFormSubmit(['title', 'body']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const thread = await api<Thread>(postPath, { method: 'POST', body: { title, body } });
      navigate(threadPath(thread));
    });
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="new-thread-title">
      <h2 id="new-thread-title">{t('newThread')}</h2>
      <Field label={t('threadTitle')} errors={fields.title}>
        {(p) => <input {...p} name="title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <PostBody label={t('postBody')} value={body} onChange={setBody} minLength={minLength} errors={fields.body} name="thread-body" />
      <FormError messages={other} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : t('newThreadSubmit')}
      </button>
    </form>
  );
}

/** A Markdown text area with the character count against the activity's minimum. */
export function PostBody({ label, value, onChange, minLength, errors, name, rows = 6 }: { label: string; value: string; onChange: (v: string) => void; minLength: number; errors?: string[]; name: string; rows?: number }) {
  const { t } = useI18n();
  const count = countCharacters(value);
  return (
    <>
      <Field label={label} errors={errors} hint={minLength > 0 ? t('postLengthHint', { min: minLength }) : undefined}>
        {(p) => <textarea {...p} name={name} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />}
      </Field>
      <p className={`counter${count < minLength ? ' counter-short' : ''}`} aria-live="polite" data-testid={`${name}-count`}>
        {minLength > 0 ? t('reflectionCount', { count, min: minLength }) : t('postCount', { count })}
      </p>
    </>
  );
}
