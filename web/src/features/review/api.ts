import { useQuery } from '@tanstack/react-query';
import { answer, client } from '../../api/client';
import type { Schema } from '../../api/types';
import { apiKey, useApiMutation } from '../../shared/queries';

export type InboxCounts = Schema<'ReviewCountsResponse'>;
export type ReviewDecision = Schema<'ReviewReflectionDto'>;

const REFLECTIONS = '/reviews/reflections';

/** How many reflections wait for the caller's review (the navigation badge and the inbox tabs); a review counts again. */
export function useReviewCounts(enabled: boolean) {
  return useQuery({ queryKey: apiKey(`${REFLECTIONS}/counts`), queryFn: () => answer(client.GET('/api/reviews/reflections/counts')), enabled });
}

/**
 * Approves or returns a reflection: the inbox, its counts, the activity's review queue and the learner-facing
 * figures shown here load again.
 */
export function useReviewReflection(reflectionId: string) {
  return useApiMutation(
    (body: ReviewDecision) => answer(client.POST('/api/reflections/{id}/review', { params: { path: { id: reflectionId } }, body })),
    () => [REFLECTIONS, '/activities', '/reports'],
  );
}
