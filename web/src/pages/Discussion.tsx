import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Page } from '../api';
import { useAuth } from '../auth';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { Activity, Course } from '../types';
import { countCharacters } from './Reading';
import { errorText, Field, FormError, useFormSubmit, Loaded, Pager, Spinner, StateBadge, toApiError, useLoad, useMyActivityState } from '../ui';

/** The server lets authors correct a post for this long (EDIT_WINDOW_MINUTES); it decides. */
const EDIT_WINDOW_MS = 30 * 60_000;
const THREADS_PAGE = 20;
const POSTS_PAGE = 20;

interface DiscussionSettings {
  prompt: string;
  minPosts: number;
  minReplies: number;
  minPostLength: number;
}

interface ThreadSummary {
  id: string;
  /** null for a thread of the course forum. */
  activityId: string | null;
  courseId: string;
  authorId: string;
  authorName?: string;
  title: string;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastActivityAt: string;
  createdAt: string;
}

interface Post {
  id: string;
  parentId: string | null;
  author: { id: string; name: string };
  body: string;
  html: string;
  charCount: number;
  hidden: boolean;
  featured: boolean;
  editedAt: string | null;
  createdAt: string;
  replies?: Post[];
}

interface Thread extends ThreadSummary {
  posts: Page<Post>;
}

function threadPath(thread: Pick<ThreadSummary, 'id' | 'activityId' | 'courseId'>): string {
  return thread.activityId ? `/courses/${thread.courseId}/activities/${thread.activityId}/threads/${thread.id}` : `/courses/${thread.courseId}/forum/threads/${thread.id}`;
}

/** Instructors and the department moderate; unit admins only read. */
function useModerator(): boolean {
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
  const threads = useLoad(() => api<Page<ThreadSummary>>(`/activities/${activity.id}/threads`, { query: { page, pageSize: THREADS_PAGE } }), [activity.id, page]);
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
function ThreadList({ threads, page, onPage, empty }: { threads: ReturnType<typeof useLoad<Page<ThreadSummary>>>; page: number; onPage: (page: number) => void; empty: string }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="threads-title">
      <h2 id="threads-title">{t('threadsTitle')}</h2>
      <Loaded state={threads}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="empty">{empty}</p>
          ) : (
            <>
              <ul className="thread-list" data-testid="threads">
                {data.items.map((thread) => (
                  <li key={thread.id} className={`thread-item${thread.pinned ? ' pinned' : ''}`}>
                    <Link to={threadPath(thread)} className="thread-title">
                      {thread.title}
                    </Link>{' '}
                    <ThreadBadges thread={thread} />
                    <p className="meta">
                      {t('threadMeta', { author: thread.authorName ?? '', posts: thread.postCount, date: formatDateTime(thread.lastActivityAt, lang) })}
                    </p>
                  </li>
                ))}
              </ul>
              {data.total > THREADS_PAGE && <Pager page={page} pageSize={THREADS_PAGE} total={data.total} onPage={onPage} />}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

/** The course forum (课程论坛): threads about the course outside any activity, open to everyone who sees the course. */
export function ForumPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useAuth();
  const [page, setPage] = useState(1);
  const course = useLoad(() => api<Course>(`/courses/${id}`), [id]);
  const threads = useLoad(() => api<Page<ThreadSummary>>(`/courses/${id}/forum/threads`, { query: { page, pageSize: THREADS_PAGE } }), [id, page]);
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

function ThreadBadges({ thread }: { thread: Pick<ThreadSummary, 'pinned' | 'locked'> }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      {thread.pinned && <span className="badge badge-pinned">{t('threadPinned')}</span>}
      {thread.locked && <span className="badge status-closed">{t('threadLocked')}</span>}
    </span>
  );
}

function NewThreadForm({ postPath, minLength }: { postPath: string; minLength: number }) {
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
function PostBody({ label, value, onChange, minLength, errors, name, rows = 6 }: { label: string; value: string; onChange: (v: string) => void; minLength: number; errors?: string[]; name: string; rows?: number }) {
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

/** A thread: its posts (oldest first, paged) with one level of replies; posting, editing, moderation. */
export function ThreadPage() {
  const { threadId = '' } = useParams();
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const moderator = useModerator();
  // Unit admins follow discussions without posting.
  const readOnly = me?.role === 'admin' && Boolean(me.unitId);
  const [page, setPage] = useState(1);
  const thread = useLoad(() => api<Thread>(`/threads/${threadId}`, { query: { page, pageSize: POSTS_PAGE } }), [threadId, page]);
  const activityId = thread.data?.activityId;
  const activity = useLoad(() => (activityId ? api<Activity>(`/activities/${activityId}`) : Promise.resolve(undefined)), [activityId]);
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
          {moderator && <ThreadModeration thread={th} onDone={thread.reload} />}
          <ol className="post-list" data-testid="posts">
            {th.posts.items.map((post) => (
              <li key={post.id} className="post-item">
                <PostCard post={post} thread={th} minLength={minLength} onChange={thread.reload} />
                {post.replies && post.replies.length > 0 && (
                  <ol className="reply-list" aria-label={t('repliesTo', { name: post.author.name })}>
                    {post.replies.map((reply) => (
                      <li key={reply.id}>
                        <PostCard post={reply} thread={th} minLength={minLength} onChange={thread.reload} />
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
                else thread.reload();
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
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <Spinner label={t('saving')} /> : t('save')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
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
