import { discussionOutcome } from './discussion-completion';

describe('discussion completion rule', () => {
  const rules = { minPosts: 2, minReplies: 1 };

  it('is done only when both the posts and the replies minimums are met', () => {
    expect(discussionOutcome(rules, { posts: 2, replies: 1 })).toEqual({ kind: 'complete' });
    expect(discussionOutcome(rules, { posts: 5, replies: 0 })).toEqual({ kind: 'progress', percent: 66 });
    expect(discussionOutcome(rules, { posts: 1, replies: 4 })).toEqual({ kind: 'progress', percent: 66 });
  });

  it('with no minimums any activity completes it', () => {
    expect(discussionOutcome({ minPosts: 0, minReplies: 0 }, { posts: 0, replies: 0 })).toEqual({ kind: 'complete' });
  });
});
