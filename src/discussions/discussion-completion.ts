import type { DiscussionSettings } from '../courses/activity-settings';
import type { ActivityOutcome } from '../progress/activity-outcome';

/** A learner's qualifying posts in one discussion, and how many of them answer other people's threads. */
export interface PostCounts {
  posts: number;
  replies: number;
}

/** The discussion completion rule: done with enough qualifying posts and replies to others; else how far. */
export function discussionOutcome(settings: Pick<DiscussionSettings, 'minPosts' | 'minReplies'>, counts: PostCounts): ActivityOutcome {
  if (counts.posts >= settings.minPosts && counts.replies >= settings.minReplies) return { kind: 'complete' };
  const needed = settings.minPosts + settings.minReplies;
  const have = Math.min(counts.posts, settings.minPosts) + Math.min(counts.replies, settings.minReplies);
  return { kind: 'progress', percent: needed ? Math.floor((have / needed) * 100) : 0 };
}
