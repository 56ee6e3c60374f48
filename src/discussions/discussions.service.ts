import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { Page, PaginationQuery } from '../common/pagination';
import { Activity } from '../courses/activity.entity';
import type { DiscussionSettings } from '../access/activity-settings';
import { CourseAccessService, CourseRole } from '../access/course-access.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Transactions } from '../database/transactions';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { ProgressService } from '../progress/progress.service';
import { UsersRepository } from '../users/users.repository';
import { countCharacters, renderMarkdown } from '../readings/text';
import { discussionOutcome } from './discussion-completion';
import { DiscussionPost, DiscussionThread } from './discussion.entity';
import { DiscussionsRepository } from './discussions.repository';
import { assertOpen } from '../access/course-open';
import { inputException, problem } from '../common/validation-errors';

/** Authors may correct a post for this long; after that it stands as written. */
export const EDIT_WINDOW_MINUTES = 30;

export interface PostView {
  id: string;
  parentId: string | null;
  author: { id: string; name: string };
  /** Empty for a hidden post, except for moderators. */
  body: string;
  /** The body rendered to sanitized HTML (API.md's name; `html` is the same, kept for older clients). */
  bodyHtml: string;
  html: string;
  charCount: number;
  hidden: boolean;
  featured: boolean;
  editedAt: Date | null;
  createdAt: Date;
  replies?: PostView[];
}

/**
 * Discussion threads (交流研讨): threads and one level of replies, Markdown shown as sanitized HTML,
 * moderation by the course's instructors and admins, and credit for substance: the activity's minimum
 * posts of a minimum length and replies to other people's threads, reported to the progress engine.
 */
@Injectable()
export class DiscussionsService {
  constructor(
    private readonly discussions: DiscussionsRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    private readonly notifications: NotificationsService,
  ) {}

  async threads(activityId: string, actor: AuthUser, query: PaginationQuery): Promise<Page<DiscussionThread & { authorName: string }>> {
    await this.discussion(activityId, actor);
    return this.listThreads({ activityId }, query);
  }

  /** The course forum (课程论坛): threads about the course that belong to no activity and earn no credit. */
  async forumThreads(courseId: string, actor: AuthUser, query: PaginationQuery): Promise<Page<DiscussionThread & { authorName: string }>> {
    await this.forum(courseId, actor);
    return this.listThreads({ courseId }, query);
  }

  async createForumThread(courseId: string, actor: AuthUser, title: string, body: string) {
    await this.forum(courseId, actor, true);
    const thread = await this.discussions.createThread({ activityId: null, courseId, authorId: actor.id, title, body, charCount: countCharacters(body) });
    return this.thread(thread.id, actor, { page: 1, pageSize: 20, skip: 0 } as PaginationQuery);
  }

  private async listThreads(where: { activityId: string } | { courseId: string }, query: PaginationQuery): Promise<Page<DiscussionThread & { authorName: string }>> {
    const [rows, total] = await this.discussions.pageThreads(where, query.skip, query.pageSize);
    const names = await this.authorNames(rows);
    return { items: rows.map((t) => ({ ...t, authorName: names.get(String(t.authorId)) ?? '' })), total, page: query.page, pageSize: query.pageSize };
  }

  async createThread(activityId: string, actor: AuthUser, title: string, body: string) {
    const { activity, role } = await this.discussion(activityId, actor, true);
    const thread = await this.discussions.createThread({ activityId, courseId: activity.courseId, authorId: actor.id, title, body, charCount: countCharacters(body) });
    if (role === 'learner') await this.credit(activity, actor.id);
    return this.thread(thread.id, actor, { page: 1, pageSize: 20, skip: 0 } as PaginationQuery);
  }

  /** A thread with its top-level posts (paged, oldest first) and their replies. */
  async thread(threadId: string, actor: AuthUser, query: PaginationQuery) {
    const thread = await this.threadOrFail(threadId);
    const { role } = await this.board(thread, actor);
    const [tops, total] = await this.discussions.pageTopPosts(threadId, query.skip, query.pageSize);
    const replies = await this.discussions.findReplies(threadId, tops.map((p) => p.id));
    const moderator = role !== 'learner';
    const opening = query.page === 1 && tops[0] ? tops[0] : await this.discussions.findOpeningPost(threadId);
    const names = await this.authorNames([...tops, ...replies, ...(opening ? [opening] : [])]);
    const first = opening ? this.view(opening, moderator, names) : null;
    return {
      ...thread,
      // API.md: the opening post's text and author beside the thread (it is also the first of `posts`).
      body: first?.body ?? '',
      bodyHtml: first?.bodyHtml ?? '',
      author: first?.author ?? null,
      posts: {
        items: tops.map((p) => ({ ...this.view(p, moderator, names), replies: replies.filter((r) => r.parentId === p.id).map((r) => this.view(r, moderator, names)) })),
        total,
        page: query.page,
        pageSize: query.pageSize,
      },
    };
  }

  async reply(threadId: string, actor: AuthUser, body: string, parentId?: string): Promise<PostView> {
    const thread = await this.threadOrFail(threadId);
    const { activity, role } = await this.board(thread, actor, true);
    let parent: DiscussionPost | null = null;
    if (parentId) {
      parent = await this.discussions.findPost(parentId, threadId);
      if (!parent) throw inputException([problem('parentId', 'notInThread')], 'UNKNOWN_PARENT');
    }
    const post = await this.transactions.run(async (manager) => {
      const locked = await this.discussions.lockThread(manager, threadId);
      if (locked.locked) throw new ConflictException({ message: '该主题已锁定，不能再回复', code: 'THREAD_LOCKED' });
      // One level of nesting: a reply to a reply joins its parent's replies.
      const attachTo = parent ? (parent.parentId ?? parent.id) : null;
      return this.discussions.addReply(manager, locked, { authorId: actor.id, parentId: attachTo, body, charCount: countCharacters(body) });
    });
    if (role === 'learner' && activity) await this.credit(activity, actor.id);
    const names = await this.authorNames([post]);
    await this.notifyReply(thread, parent, post, names.get(String(post.authorId)) ?? '');
    return this.view(post, role !== 'learner', names);
  }

  async edit(postId: string, actor: AuthUser, body: string): Promise<PostView> {
    const post = await this.discussions.findPost(postId);
    if (!post) throw new NotFoundException({ message: '帖子不存在', code: 'POST_NOT_FOUND' });
    const { activity, role } = await this.board(await this.threadOrFail(post.threadId), actor);
    if (post.authorId !== actor.id) throw new ForbiddenException({ message: '只有作者本人可以修改帖子', code: 'NOT_AUTHOR' });
    if (Date.now() - post.createdAt.getTime() > EDIT_WINDOW_MINUTES * 60_000) {
      throw new ConflictException({ message: `发帖 ${EDIT_WINDOW_MINUTES} 分钟后不能再修改`, code: 'EDIT_WINDOW_CLOSED' });
    }
    await this.discussions.updatePost(postId, { body, charCount: countCharacters(body), editedAt: new Date() });
    if (role === 'learner' && activity) await this.credit(activity, actor.id);
    return this.view({ ...post, body, charCount: countCharacters(body), editedAt: new Date() }, role !== 'learner', await this.authorNames([post]));
  }

  async moderateThread(threadId: string, actor: AuthUser, changes: { pinned?: boolean; locked?: boolean }) {
    const thread = await this.threadOrFail(threadId);
    await this.moderator(thread, actor);
    const values: Partial<DiscussionThread> = {};
    if (changes.pinned !== undefined) values.pinned = changes.pinned;
    if (changes.locked !== undefined) values.locked = changes.locked;
    if (Object.keys(values).length) await this.discussions.updateThread(threadId, values);
    return this.threadOrFail(threadId);
  }

  /** Hide (kept for audit, counts no more) or mark 精华. */
  async moderatePost(postId: string, actor: AuthUser, changes: { hidden?: boolean; featured?: boolean }): Promise<PostView> {
    const post = await this.discussions.findPost(postId);
    if (!post) throw new NotFoundException({ message: '帖子不存在', code: 'POST_NOT_FOUND' });
    const activity = await this.moderator(await this.threadOrFail(post.threadId), actor);
    const values: Partial<DiscussionPost> = {};
    if (changes.hidden !== undefined) values.hidden = changes.hidden;
    if (changes.featured !== undefined) values.featured = changes.featured;
    if (Object.keys(values).length) await this.discussions.updatePost(postId, values);
    if (changes.hidden !== undefined && activity) await this.credit(activity, post.authorId).catch(() => undefined);
    return this.view({ ...post, ...values }, true, await this.authorNames([post]));
  }

  /** Counts the learner's qualifying posts and replies and tells the engine what the discussion's rule makes of them. */
  private async credit(activity: Activity, userId: string): Promise<void> {
    const settings = activity.settings as DiscussionSettings;
    const counts = await this.discussions.countQualifyingPosts(activity.id, userId, settings.minPostLength);
    await this.progress.apply(userId, activity.id, discussionOutcome(settings, counts));
  }

  /** The authors' names of a page of threads or posts, in one query. */
  private async authorNames(rows: { authorId: string }[]): Promise<Map<string, string>> {
    const labels = await this.users.labelsByIds(rows.map((r) => String(r.authorId)));
    return new Map([...labels].map(([id, label]) => [id, label.name]));
  }

  private async notifyReply(thread: DiscussionThread, parent: DiscussionPost | null, post: DiscussionPost, authorName: string): Promise<void> {
    const recipients = new Set([thread.authorId, ...(parent ? [parent.authorId] : [])]);
    recipients.delete(post.authorId);
    await this.notifications.notify(
      [...recipients].map((userId) => ({
        userId,
        kind: 'discussion.reply',
        title: `${authorName} 回复了你：${thread.title}`.slice(0, 200),
        body: post.body.slice(0, 500),
        link: thread.activityId ? `/courses/${thread.courseId}/activities/${thread.activityId}/threads/${thread.id}` : `/courses/${thread.courseId}/forum/threads/${thread.id}`,
        dedupeKey: `discussion.reply:${post.id}:${userId}`,
      })),
    );
  }

  /** The board a thread belongs to: its discussion activity, or the course forum (activity null). */
  private async board(thread: DiscussionThread, actor: AuthUser, posting = false): Promise<{ activity: Activity | null; role: CourseRole }> {
    if (thread.activityId !== null) return this.discussion(thread.activityId, actor, posting);
    return { activity: null, role: await this.forum(thread.courseId, actor, posting) };
  }

  /** Who may read the course forum: whoever sees the course; who may post: its active learners and teachers. */
  private async forum(courseId: string, actor: AuthUser, posting = false): Promise<CourseRole> {
    const { course, role } = await this.access.view(courseId, actor);
    if (posting) {
      assertOpen(course);
      if (role === 'unit-admin') throw new ForbiddenException({ message: '二级党组织管理员只能查看讨论，不能发帖', code: 'READ_ONLY' });
      if (role === 'learner') {
        if (!(await this.enrollments.isActiveLearner(courseId, actor.id))) throw new ForbiddenException({ message: '你已不在本班学习，不能发帖', code: 'NOT_ENROLLED' });
      }
    }
    return role;
  }

  /** The discussion activity if the caller may see it; `posting` also requires being able to post now. */
  private async discussion(activityId: string, actor: AuthUser, posting = false): Promise<{ activity: Activity; role: CourseRole }> {
    const { activity, role, course } = await this.access.activityView(activityId, actor);
    if (activity.type !== 'discussion') throw new NotFoundException({ message: '该学习任务不是讨论任务', code: 'NOT_A_DISCUSSION' });
    if (posting) {
      assertOpen(course);
      // A learner's posts count toward completion: only while the discussion takes work (or 补学).
      if (role === 'learner') await this.access.activityForWork(activityId, actor, 'discussion');
      if (role === 'unit-admin') throw new ForbiddenException({ message: '二级党组织管理员只能查看讨论，不能发帖', code: 'READ_ONLY' });
    }
    return { activity, role };
  }

  /** The course's instructors and admins moderate; answers the thread's activity (null in the forum). */
  private async moderator(thread: DiscussionThread, actor: AuthUser): Promise<Activity | null> {
    if (thread.activityId === null) {
      await this.access.edit(thread.courseId, actor);
      return null;
    }
    const { activity } = await this.access.activityEdit(thread.activityId, actor);
    return activity;
  }

  private async threadOrFail(threadId: string): Promise<DiscussionThread> {
    const thread = await this.discussions.findThread(threadId);
    if (!thread) throw new NotFoundException({ message: '主题不存在', code: 'THREAD_NOT_FOUND' });
    return thread;
  }

  private view(post: DiscussionPost, moderator: boolean, authorNames: Map<string, string>): PostView {
    const shown = !post.hidden || moderator;
    return {
      id: post.id,
      parentId: post.parentId,
      author: { id: post.authorId, name: authorNames.get(String(post.authorId)) ?? '' },
      body: shown ? post.body : '',
      bodyHtml: shown ? renderMarkdown(post.body) : '',
      html: shown ? renderMarkdown(post.body) : '',
      charCount: post.charCount,
      hidden: post.hidden,
      featured: post.featured,
      editedAt: post.editedAt,
      createdAt: post.createdAt,
    };
  }
}
