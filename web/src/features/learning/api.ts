import { useQuery } from '@tanstack/react-query';
import { answer, client } from '../../api/client';
import type { Schema } from '../../api/types';
import { apiKey, useApiMutation } from '../../shared/queries';

/** The learner's own progress and standing in one activity (补学, closed, missed…), from GET /courses/:id/progress. */
export function useMyProgress(courseId: string, activityId: string, enabled: boolean) {
  return useQuery({
    queryKey: apiKey(`/courses/${courseId}/progress`),
    queryFn: () => answer(client.GET('/api/courses/{id}/progress', { params: { path: { id: courseId } } })),
    select: (progress) => progress.activities.find((a) => a.id === activityId) ?? null,
    enabled,
  });
}

/** The learner's own state in one activity, as the schedule has it (the server's progress engine decides). */
export function useMyActivityState(courseId: string, activityId: string, enabled: boolean) {
  return useQuery({
    queryKey: apiKey(`/courses/${courseId}/schedule`),
    queryFn: () => answer(client.GET('/api/courses/{id}/schedule', { params: { path: { id: courseId } } })),
    select: (schedule) => schedule.sections.flatMap((section) => section.items).find((item) => item.id === activityId) ?? null,
    enabled,
  });
}

/**
 * Saves or submits the learner's reflection. A submission can complete the reading, so the learner's to-do,
 * record and course progress load again, and so do the reviewers' counts.
 */
export function useSaveReflection(activityId: string) {
  return useApiMutation(
    (body: Schema<'SubmitReflectionDto'>) => answer(client.POST('/api/activities/{id}/reflections', { params: { path: { id: activityId } }, body })),
    () => ['/me', '/courses', `/activities/${activityId}`, '/reviews/reflections'],
  );
}
