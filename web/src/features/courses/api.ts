import type { Course, CourseDetail } from '../../api/types';
import { useApi, useApiAll } from '../../shared/queries';

/** Every course the caller may see (all pages of the list), for the course list and the course choices of filters. */
export function useCourses() {
  return useApiAll<Course>('/courses');
}

export function useCourse(id: string) {
  return useApi<Course>(`/courses/${id}`);
}

/** A course with its sections and activities (the editor, the question bank). */
export function useCourseDetail(id: string) {
  return useApi<CourseDetail>(`/courses/${id}`);
}
