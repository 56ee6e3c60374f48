import { DataSource } from 'typeorm';
import type { ActivitySettings } from '../../src/courses/activity-settings';
import { Activity, type ActivityType } from '../../src/courses/activity.entity';
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

/** The settings an editor would give each kind, with the figures the tests count on. */
const SETTINGS: Record<ActivityType, ActivitySettings> = {
  video: { durationSeconds: 600, completionPercent: 80 } as ActivitySettings,
  reading: { body: '阅读材料', minReflectionLength: 10, reflectionNeedsApproval: true } as ActivitySettings,
  quiz: { passPercent: 60, grading: 'best', maxAttempts: 3, timeLimitMinutes: null, questions: [] } as unknown as ActivitySettings,
  discussion: { prompt: '谈谈体会', minPosts: 2, minReplies: 1, minPostLength: 5 } as ActivitySettings,
  session: { startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() - DAY + 3600_000).toISOString(), location: '会议室' } as ActivitySettings,
};

export interface ActivityRow {
  type: ActivityType;
  required?: boolean;
  creditHours?: number;
  dueAt?: Date | null;
  settings?: Partial<ActivitySettings>;
}

/**
 * A published course written straight into the database (no HTTP, no plan checks), for service-level
 * tests: running for the last and next 30 days, one section, the given activities in order.
 */
export async function makeCourseRows(
  ds: DataSource,
  activities: ActivityRow[],
  overrides: Partial<Course> = {},
): Promise<{ course: Course; activities: Activity[] }> {
  const course = await ds.getRepository(Course).save({
    title: `服务测试${uniq()}`,
    startsAt: new Date(Date.now() - 30 * DAY),
    endsAt: new Date(Date.now() + 30 * DAY),
    status: 'published',
    publishedAt: new Date(),
    ...overrides,
  } as Course);
  const section = await ds.getRepository(Section).save({ courseId: course.id, title: '一', position: 1 } as Section);
  const saved: Activity[] = [];
  for (const [i, a] of activities.entries()) {
    saved.push(
      await ds.getRepository(Activity).save({
        courseId: course.id,
        sectionId: section.id,
        type: a.type,
        title: `${a.type}${i}`,
        required: a.required ?? true,
        creditHours: a.creditHours ?? 1,
        dueAt: a.dueAt ?? null,
        position: i,
        settings: { ...SETTINGS[a.type], ...a.settings } as ActivitySettings,
      } as Activity),
    );
  }
  return { course, activities: saved };
}
