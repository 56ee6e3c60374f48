import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { DiscussionPost, DiscussionThread } from './discussion.entity';

/** Threads and posts of the discussion activities and the course forums. */
@Injectable()
export class DiscussionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new thread with its opening post, together. */
  async createThread(values: { activityId: string | null; courseId: string; authorId: string; title: string; body: string; charCount: number }): Promise<DiscussionThread> {
    return this.dataSource.transaction(async (manager) => {
      const { body, charCount, ...thread } = values;
      const saved = await manager.save(DiscussionThread, { ...thread, lastActivityAt: new Date(), postCount: 1 });
      await manager.insert(DiscussionPost, { threadId: saved.id, activityId: values.activityId, authorId: values.authorId, parentId: null, body, charCount });
      return saved;
    });
  }

  /** One page of a discussion's (or, by course, the forum's) threads: pinned first, then the most recently active. */
  async pageThreads(where: { activityId: string } | { courseId: string }, skip: number, take: number): Promise<[DiscussionThread[], number]> {
    const qb = this.dataSource.getRepository(DiscussionThread).createQueryBuilder('t');
    if ('activityId' in where) qb.where('t.activity_id = :activityId', { activityId: where.activityId });
    else qb.where('t.course_id = :courseId AND t.activity_id IS NULL', { courseId: where.courseId });
    return qb.orderBy('t.pinned', 'DESC').addOrderBy('t.last_activity_at', 'DESC').addOrderBy('t.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  async findThread(threadId: string): Promise<DiscussionThread | null> {
    return this.dataSource.getRepository(DiscussionThread).findOneBy({ id: threadId });
  }

  /** One page of a thread's top-level posts, oldest first. */
  async pageTopPosts(threadId: string, skip: number, take: number): Promise<[DiscussionPost[], number]> {
    return this.dataSource.getRepository(DiscussionPost).findAndCount({ where: { threadId, parentId: IsNull() }, order: { id: 'ASC' }, skip, take });
  }

  async findReplies(threadId: string, parentIds: string[]): Promise<DiscussionPost[]> {
    if (!parentIds.length) return [];
    return this.dataSource.getRepository(DiscussionPost).find({ where: { threadId, parentId: In(parentIds) }, order: { id: 'ASC' } });
  }

  async findOpeningPost(threadId: string): Promise<DiscussionPost | null> {
    return this.dataSource.getRepository(DiscussionPost).findOne({ where: { threadId, parentId: IsNull() }, order: { id: 'ASC' } });
  }

  async findPost(postId: string, threadId?: string): Promise<DiscussionPost | null> {
    return this.dataSource.getRepository(DiscussionPost).findOneBy(threadId ? { id: postId, threadId } : { id: postId });
  }

  /** The thread, locked for a reply: replies to one thread are counted one after the other. */
  async lockThread(manager: EntityManager, threadId: string): Promise<DiscussionThread> {
    return manager.createQueryBuilder(DiscussionThread, 't').setLock('pessimistic_write').where('t.id = :id', { id: threadId }).getOneOrFail();
  }

  /** Adds a reply to a locked thread and counts it there; returns the stored post. */
  async addReply(manager: EntityManager, thread: DiscussionThread, values: Pick<DiscussionPost, 'authorId' | 'parentId' | 'body' | 'charCount'>): Promise<DiscussionPost> {
    const result = await manager.insert(DiscussionPost, { threadId: thread.id, activityId: thread.activityId, ...values });
    await manager.update(DiscussionThread, { id: thread.id }, { postCount: thread.postCount + 1, lastActivityAt: new Date() });
    return manager.findOneByOrFail(DiscussionPost, { id: result.identifiers[0].id as string });
  }

  async updatePost(postId: string, values: Partial<Pick<DiscussionPost, 'body' | 'charCount' | 'editedAt' | 'hidden' | 'featured'>>): Promise<void> {
    await this.dataSource.getRepository(DiscussionPost).update({ id: postId }, values);
  }

  async updateThread(threadId: string, values: Partial<Pick<DiscussionThread, 'pinned' | 'locked'>>): Promise<void> {
    await this.dataSource.getRepository(DiscussionThread).update({ id: threadId }, values);
  }

  /**
   * The learner's posts in a discussion that meet the length (hidden ones never count), and how many of them
   * answer other people's threads: counted from the table each time, so the figure cannot drift.
   */
  async countQualifyingPosts(activityId: string, userId: string, minLength: number): Promise<{ posts: number; replies: number }> {
    const [row] = await this.dataSource.query(
      `SELECT COUNT(*) AS posts, COALESCE(SUM(t.author_id <> p.author_id), 0) AS replies
         FROM discussion_posts p JOIN discussion_threads t ON t.id = p.thread_id
        WHERE p.activity_id = ? AND p.author_id = ? AND p.hidden = 0 AND p.char_count >= ?`,
      [activityId, userId, minLength],
    );
    return { posts: Number(row.posts), replies: Number(row.replies) };
  }
}
