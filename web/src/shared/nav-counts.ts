import { useEffect, useState } from 'react';
import { api } from '../api/client';

/**
 * What the navigation counts (unread notifications, reflections waiting for review) and the events pages send
 * when they change them: kept apart from the pages, which load only when opened.
 */
export const NOTIFICATIONS_CHANGED = 'bst:notifications-changed';

/** Sent after a review in the inbox, so the navigation badge counts again at once. */
export const REVIEWS_CHANGED = 'reviews-changed';

export interface InboxCounts {
  waiting: number;
  resubmitted: number;
  returned: number;
}

/** How many reflections wait for the caller's review, for the navigation badge; counted again on every page change and after a review. */
export function useReviewCount(path: string, enabled: boolean): number {
  const [count, setCount] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    window.addEventListener(REVIEWS_CHANGED, bump);
    return () => window.removeEventListener(REVIEWS_CHANGED, bump);
  }, []);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api<InboxCounts>('/reviews/reflections/counts')
      .then((answer) => live && setCount(answer.waiting))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path, enabled, tick]);
  return count;
}
