import { DataSource } from 'typeorm';
import { Activity } from '../../src/courses/activity.entity';
import type { ActivitySettings } from '../../src/courses/activity-settings';
import { Course } from '../../src/courses/course.entity';
import { Section } from '../../src/courses/section.entity';
import { Enrollment } from '../../src/enrollments/enrollment.entity';
import { uniq } from './org.factory';

const DAY = 24 * 3600 * 1000;

/**
 * Courses, activities and enrolments written as rows, for service-level tests that run one module without
 * the HTTP API (the API's own rules for writing them are tested in courses.e2e-spec.ts and enrollments.e2e-spec.ts).
 */
export async function makeCourse(ds: DataSource, overrides: Partial<Course> = {}): Promise<Course & { sectionId: string }> {
  const course = await ds.getRepository(Course).save({
    title: `培训班${uniq()}`,
    startsAt: new Date(Date.now() - 10 * DAY),
    endsAt: new Date(Date.now() + 20 * DAY),
    status: 'published',
    publishedAt: new Date(),
    ...overrides,
  } as Course);
  const section = await ds.getRepository(Section).save({ courseId: course.id, title: '第一单元', position: 0 } as Section);
  return Object.assign(course, { sectionId: section.id });
}

export async function makeActivity(ds: DataSource, course: { id: string; sectionId: string }, overrides: Partial<Activity> = {}): Promise<Activity> {
  return ds.getRepository(Activity).save({
    courseId: course.id,
    sectionId: course.sectionId,
    type: 'reading',
    title: `阅读${uniq()}`,
    required: true,
    creditHours: 1,
    position: 0,
    settings: { body: '阅读材料', minReflectionLength: 0, reflectionNeedsApproval: false } as unknown as ActivitySettings,
    ...overrides,
  } as Activity);
}

export async function enrolRows(ds: DataSource, courseId: string, userIds: string[], status: Enrollment['status'] = 'active'): Promise<void> {
  await ds.getRepository(Enrollment).insert(userIds.map((userId) => ({ courseId, userId, status, source: 'user' as const, enrolledAt: new Date() })));
}

/** Records the learner's completion of one activity, as the progress engine would. */
export async function markActivityDone(ds: DataSource, courseId: string, activityId: string, userId: string): Promise<void> {
  await ds.query(
    `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent, started_at, completed_at, last_event_at)
     VALUES (?, ?, ?, 'completed', 100, NOW(3), NOW(3), NOW(3))`,
    [courseId, activityId, userId],
  );
}
