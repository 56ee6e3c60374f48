import { api } from '../../api/client';
import type { MyActivityProgress, Schedule, ScheduleItem } from '../../api/types';
import { useLoad } from '../../shared/load';

/** The learner's own progress and standing in one activity (补学, closed, missed…), from GET /courses/:id/progress. */
export function useMyProgress(courseId: string, activityId: string, enabled: boolean) {
  return useLoad<MyActivityProgress | null>(
    () =>
      enabled
        ? api<{ activities: MyActivityProgress[] }>(`/courses/${courseId}/progress`).then((p) => p.activities.find((a) => a.id === activityId) ?? null)
        : Promise.resolve(null),
    [courseId, activityId, enabled],
  );
}

/** The learner's own state in one activity, as the schedule has it (the server's progress engine decides). */
export function useMyActivityState(courseId: string, activityId: string, enabled: boolean) {
  return useLoad<ScheduleItem | null>(
    () =>
      enabled
        ? api<Schedule>(`/courses/${courseId}/schedule`).then((s) => s.sections.flatMap((section) => section.items).find((item) => item.id === activityId) ?? null)
        : Promise.resolve(null),
    [courseId, activityId, enabled],
  );
}
