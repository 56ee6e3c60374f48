import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { MyActivityProgress, Schedule } from '../../api/types';
import { apiKey, useApiMutation } from '../../shared/queries';

/** The learner's own progress and standing in one activity (补学, closed, missed…), from GET /courses/:id/progress. */
export function useMyProgress(courseId: string, activityId: string, enabled: boolean) {
  const path = `/courses/${courseId}/progress`;
  return useQuery({
    queryKey: apiKey(path),
    queryFn: () => api<{ activities: MyActivityProgress[] }>(path),
    select: (progress) => progress.activities.find((a) => a.id === activityId) ?? null,
    enabled,
  });
}

/** The learner's own state in one activity, as the schedule has it (the server's progress engine decides). */
export function useMyActivityState(courseId: string, activityId: string, enabled: boolean) {
  const path = `/courses/${courseId}/schedule`;
  return useQuery({
    queryKey: apiKey(path),
    queryFn: () => api<Schedule>(path),
    select: (schedule) => schedule.sections.flatMap((section) => section.items).find((item) => item.id === activityId) ?? null,
    enabled,
  });
}

export interface ReflectionInput {
  body: string;
  draft: boolean;
  shareConsent: boolean;
}

/**
 * Saves or submits the learner's reflection. A submission can complete the reading, so the learner's to-do,
 * record and course progress load again, and so do the reviewers' counts.
 */
export function useSaveReflection<Answer>(activityId: string) {
  return useApiMutation(
    (input: ReflectionInput) => api<Answer>(`/activities/${activityId}/reflections`, { method: 'POST', body: input }),
    () => ['/me', '/courses', `/activities/${activityId}`, '/reviews/reflections'],
  );
}
