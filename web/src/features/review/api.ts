import { api } from '../../api/client';
import { useApi, useApiMutation } from '../../shared/queries';

export interface InboxCounts {
  waiting: number;
  resubmitted: number;
  returned: number;
}

const REFLECTIONS = '/reviews/reflections';

/** How many reflections wait for the caller's review (the navigation badge and the inbox tabs); a review counts again. */
export function useReviewCounts(enabled: boolean) {
  return useApi<InboxCounts>(`${REFLECTIONS}/counts`, undefined, { enabled });
}

export interface ReviewDecision {
  decision: 'approve' | 'return';
  feedback?: string;
  excellent?: boolean;
}

/**
 * Approves or returns a reflection: the inbox, its counts, the activity's review queue and the learner-facing
 * figures shown here load again.
 */
export function useReviewReflection(reflectionId: string) {
  return useApiMutation((body: ReviewDecision) => api(`/reflections/${reflectionId}/review`, { method: 'POST', body }), () => [REFLECTIONS, '/activities', '/reports']);
}
