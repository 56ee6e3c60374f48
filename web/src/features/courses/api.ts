import { useQuery } from '@tanstack/react-query';
import { answer, client } from '../../api/client';
import type { Course } from '../../api/types';
import { apiKey, useApiAll } from '../../shared/queries';

/** Every course the caller may see (all pages of the list), for the course list and the course choices of filters. */
export function useCourses() {
  return useApiAll<Course>('/courses');
}

/** A course with its sections and activities. */
export function useCourse(id: string) {
  return useQuery({
    queryKey: apiKey(`/courses/${id}`),
    queryFn: () => answer(client.GET('/api/courses/{id}', { params: { path: { id } } })),
  });
}
