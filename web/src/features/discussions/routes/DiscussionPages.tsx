import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../../../api/client';
import type { Activity } from '../../../api/types';
import { useI18n } from '../../../i18n';
import { Pager } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { FormError, SaveOrCancel, useFormSubmit } from '../../../shared/forms';
import { useApi } from '../../../shared/queries';
import { DiscussionSettings, EDIT_WINDOW_MS, Post, POSTS_PAGE, Thread, THREADS_PAGE, ThreadSummary } from '../api';
import { NewThreadForm, PostBody, ThreadBadges, ThreadList, useModerator } from '../components/DiscussionLesson';
import { useCourse } from '../../courses/api';

/** The course forum (课程论坛): threads about the course outside any activity, open to everyone who sees the course. */
export function ForumPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const [page, setPage] = useState(1);
  const course = useCourse(id);
  const threads = useApi<Page<ThreadSummary>>(`/courses/${id}/forum/threads`, { page, pageSize: THREADS_PAGE });
  // Unit admins follow the forum without posting.
  const canPost = !(me?.role === 'admin' && me.unitId);
  return (
    <section>
      <p>
        <Link to={`/courses/${id}`}>← {course.data?.title ?? t('scheduleTitle')}</Link>
      </p>
      <h1>
        {t('forumTitle')}
        {course.data && <span className="subtitle">{course.data.title}</span>}
      </h1>
      <p className="muted">{t('forumIntro')}</p>
      <ThreadList threads={threads} page={page} onPage={setPage} empty={t('forumEmpty')} />
      {canPost && <NewThreadForm postPath={`/courses/${id}/forum/threads`} minLength={0} />}
    </section>
  );
}

/** A thread: its posts (oldest first, paged) with one level of replies; posting, editing, moderation. */
export function ThreadPage() {
  const { threadId = '' } = useParams();
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const moderator = useModerator();
  // Unit admins follow discussions without posting.
  const readOnly = me?.role === 'admin' && Boolean(me.unitId);
  const [page, setPage] = useState(1);
  const thread = useApi<Thread>(`/threads/${threadId}`, { page, pageSize: POSTS_PAGE });
  const activityId = thread.data?.activityId;
  const activity = useApi<Activity>(`/activities/${activityId}`, undefined, { enabled: Boolean(activityId) });
  const minLength = (activity.data?.settings as unknown as DiscussionSettings | undefined)?.minPostLength ?? 0;

  return (
    <Loaded state={thread}>
      {(th) => (
        <section>
          <p>
            {th.activityId ? <Link to={`/activities/${th.activityId}`}>← {activity.data?.title ?? t('threadsTitle')}</Link> : <Link to={`/courses/${th.courseId}/forum`}>← {t('forumTitle')}</Link>}
          </p>
          <h1>
            {th.title} <ThreadBadges thread={th} />
            <span className="subtitle">
              {page === 1 && th.posts.items[0] ? t('threadMeta', { author: th.posts.items[0].author.name, posts: th.postCount, date: formatDateTime(th.lastActivityAt, lang) }) : t('threadMetaShort', { posts: th.postCount, date: formatDateTime(th.lastActivityAt, lang) })}
            </span>
          </h1>
          {moderator && <ThreadModeration thread={th} onDone={thread.refetch} />}
          <ol className="post-list" data-testid="posts">
            {th.posts.items.map((post) => (
              <li key={post.id} className="post-item">
                <PostCard post={post} thread={th} minLength={minLength} onChange={thread.refetch} />
                {post.replies && post.replies.length > 0 && (
                  <ol className="reply-list" aria-label={t('repliesTo', { name: post.author.name })}>
                    {post.replies.map((reply) => (
                      <li key={reply.id}>
                        <PostCard post={reply} thread={th} minLength={minLength} onChange={thread.refetch} />
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ol>
          {th.posts.total > POSTS_PAGE && <Pager page={page} pageSize={POSTS_PAGE} total={th.posts.total} onPage={setPage} />}
          {th.locked ? (
            <p className="alert alert-warn" role="status">
              {t('threadLockedNotice')}
            </p>
          ) : readOnly ? null : (
            <PostForm
              threadId={th.id}
              minLength={minLength}
              title={t('newPost')}
              submitLabel={t('newPostSubmit')}
              name="post-body"
              onDone={() => {
                // New top-level posts go to the end: show the last page.
                const last = Math.max(1, Math.ceil((th.posts.total + 1) / POSTS_PAGE));
                if (last !== page) setPage(last);
                else thread.refetch();
              }}
            />
          )}
        </section>
      )}
    </Loaded>
  );
}

function PostCard({ post, thread, minLength, onChange }: { post: Post; thread: Thread; minLength: number; onChange: () => void }) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const moderator = useModerator();
  const [mode, setMode] = useState<'reply' | 'edit' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const mine = post.author.id === me?.id;
  const editable = mine && !post.hidden && Date.now() - new Date(post.createdAt).getTime() < EDIT_WINDOW_MS;
  const canPost = !thread.locked && !(me?.role === 'admin' && me.unitId);

  async function moderate(changes: { hidden?: boolean; featured?: boolean }) {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/posts/${post.id}/moderate`, { method: 'POST', body: changes });
      onChange();
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className={`post${post.hidden ? ' post-hidden' : ''}${post.featured ? ' post-featured' : ''}`} aria-label={t('postBy', { name: post.author.name })} data-testid="post">
      <header className="post-head">
        <strong>{post.author.name}</strong>
        <span className="muted">{formatDateTime(post.createdAt, lang)}</span>
        {post.editedAt && <span className="muted">{t('postEdited')}</span>}
        {post.featured && <span className="badge badge-featured">{t('postFeatured')}</span>}
        {post.hidden && <span className="badge status-closed">{t('postHidden')}</span>}
      </header>
      {mode === 'edit' ? (
        <EditForm post={post} minLength={minLength} onCancel={() => setMode(null)} onDone={() => { setMode(null); onChange(); }} />
      ) : post.html ? (
        <div className="post-body reading-body" dangerouslySetInnerHTML={{ __html: post.html }} />
      ) : (
        <p className="muted">{t('postHiddenBody')}</p>
      )}
      {mode !== 'edit' && (
        <div className="actions post-actions">
          {canPost && (
            <button type="button" className="button link" aria-expanded={mode === 'reply'} onClick={() => setMode(mode === 'reply' ? null : 'reply')}>
              {t('reply')}
            </button>
          )}
          {editable && (
            <button type="button" className="button link" onClick={() => setMode('edit')}>
              {t('edit')}
            </button>
          )}
          {moderator && (
            <>
              <button type="button" className="button secondary small" disabled={busy} onClick={() => moderate({ featured: !post.featured })}>
                {post.featured ? t('unfeature') : t('feature')}
              </button>
              <button type="button" className="button secondary small" disabled={busy} onClick={() => moderate({ hidden: !post.hidden })}>
                {post.hidden ? t('unhide') : t('hide')}
              </button>
            </>
          )}
          {busy && <Spinner />}
        </div>
      )}
      <FormError messages={error ? [error] : undefined} />
      {mode === 'reply' && (
        <PostForm
          threadId={thread.id}
          parentId={post.id}
          minLength={minLength}
          title={t('replyTo', { name: post.author.name })}
          submitLabel={t('replySubmit')}
          name={`reply-${post.id}`}
          onDone={() => {
            setMode(null);
            onChange();
          }}
        />
      )}
    </article>
  );
}

function PostForm({ threadId, parentId, minLength, title, submitLabel, name, onDone }: { threadId: string; parentId?: string; minLength: number; title: string; submitLabel: string; name: string; onDone: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const { busy, fields, other, run } = useFormSubmit(['body', 'parentId']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/threads/${threadId}/posts`, { method: 'POST', body: { body, ...(parentId ? { parentId } : {}) } });
      setBody('');
      onDone();
    });
  }

  return (
    <form className={parentId ? 'reply-form' : 'panel'} onSubmit={submit} noValidate aria-label={title}>
      {!parentId && <h2>{title}</h2>}
      <PostBody label={parentId ? title : t('postBody')} value={body} onChange={setBody} minLength={minLength} errors={fields.body ?? fields.parentId} name={name} rows={parentId ? 3 : 6} />
      <FormError messages={other} />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? <Spinner label={t('saving')} /> : submitLabel}
      </button>
    </form>
  );
}

function EditForm({ post, minLength, onCancel, onDone }: { post: Post; minLength: number; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [body, setBody] = useState(post.body);
  const { busy, fields, other, run } = useFormSubmit(['body']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api(`/posts/${post.id}`, { method: 'PATCH', body: { body } });
      onDone();
    });
  }

  return (
    <form className="reply-form" onSubmit={submit} noValidate aria-label={t('editPost')}>
      <PostBody label={t('editPost')} value={body} onChange={setBody} minLength={minLength} errors={fields.body} name={`edit-${post.id}`} />
      <p className="hint">{t('editWindowHint')}</p>
      <FormError messages={other} />
      <SaveOrCancel busy={busy} onCancel={onCancel} />
    </form>
  );
}

function ThreadModeration({ thread, onDone }: { thread: Thread; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function set(changes: { pinned?: boolean; locked?: boolean }) {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/threads/${thread.id}/moderate`, { method: 'POST', body: changes });
      onDone();
    } catch (e) {
      setError(errorText(toApiError(e), t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="panel moderation" role="group" aria-label={t('moderation')}>
      <div className="actions">
        <strong>{t('moderation')}</strong>
        <button type="button" className="button secondary small" disabled={busy} onClick={() => set({ pinned: !thread.pinned })}>
          {thread.pinned ? t('unpin') : t('pin')}
        </button>
        <button type="button" className="button secondary small" disabled={busy} onClick={() => set({ locked: !thread.locked })}>
          {thread.locked ? t('unlock') : t('lock')}
        </button>
        {busy && <Spinner />}
      </div>
      <FormError messages={error ? [error] : undefined} />
    </div>
  );
}
