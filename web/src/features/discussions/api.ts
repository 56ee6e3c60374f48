import type { Page } from '../../api/client';

/** The server lets authors correct a post for this long (EDIT_WINDOW_MINUTES); it decides. */
export const EDIT_WINDOW_MS = 30 * 60_000;
export const THREADS_PAGE = 20;
export const POSTS_PAGE = 20;

export interface DiscussionSettings {
  prompt: string;
  minPosts: number;
  minReplies: number;
  minPostLength: number;
}

export interface ThreadSummary {
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

export interface Post {
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

export interface Thread extends ThreadSummary {
  posts: Page<Post>;
}
