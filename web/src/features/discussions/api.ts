import type { Schema } from '../../api/types';

/** The server lets authors correct a post for this long (EDIT_WINDOW_MINUTES); it decides. */
export const EDIT_WINDOW_MS = 30 * 60_000;
export const THREADS_PAGE = 20;
export const POSTS_PAGE = 20;

export type DiscussionSettings = Schema<'DiscussionSettingsResponse'>;

export type ThreadSummary = Schema<'ThreadSummaryResponse'>;

export type Post = Schema<'PostResponse'>;

export type Thread = Schema<'ThreadDetailResponse'>;
