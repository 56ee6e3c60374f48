import { Column, Entity, Index } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { User } from '../users/user.entity';

/**
 * A thread of a discussion activity (交流研讨), or of the course's general forum (课程论坛) when it has no
 * activity. Pinned threads come first, then the most recently active.
 */
@Entity('discussion_threads')
@Index('idx_discussion_threads_list', ['activityId', 'pinned', 'lastActivityAt'])
@Index('idx_discussion_threads_course', ['courseId', 'pinned', 'lastActivityAt'])
export class DiscussionThread {
  @IdColumn()
  id: string;

  /** Null for a thread of the course forum. */
  @RefColumn('activity_id', { nullable: true, references: () => Activity })
  activityId: string | null;

  @RefColumn('course_id')
  courseId: string;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'boolean', default: false })
  pinned: boolean;

  /** Locked threads take no new posts (409). */
  @Column({ type: 'boolean', default: false })
  locked: boolean;

  @Column({ name: 'post_count', type: 'int', unsigned: true, default: 0 })
  postCount: number;

  @Column({ name: 'last_activity_at', type: 'datetime', precision: 3 })
  lastActivityAt: Date;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** A post: the thread's opening post (no parent) or a reply, nested one level under a top-level post. */
@Entity('discussion_posts')
@Index('idx_discussion_posts_thread', ['threadId', 'id'])
@Index('idx_discussion_posts_author', ['activityId', 'authorId'])
export class DiscussionPost {
  @IdColumn()
  id: string;

  @RefColumn('thread_id', { references: () => DiscussionThread, onDelete: 'CASCADE' })
  threadId: string;

  /** The thread's activity (null in the course forum): credit is counted per activity. */
  @RefColumn('activity_id', { nullable: true })
  activityId: string | null;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  @RefColumn('parent_id', { nullable: true })
  parentId: string | null;

  /** Markdown as written; shown as sanitized HTML. */
  @Column({ type: 'mediumtext' })
  body: string;

  @Column({ name: 'char_count', type: 'int', unsigned: true })
  charCount: number;

  /** Hidden by a moderator: kept for audit, shown as hidden. */
  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  /** 精华 */
  @Column({ type: 'boolean', default: false })
  featured: boolean;

  @Column({ name: 'edited_at', type: 'datetime', precision: 3, nullable: true })
  editedAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
