import type { User } from '../../src/users/user.entity';
import { createTestApp, type TestApp } from '../support/test-app';
import { makeBranch, makeUnit, makeUser } from './org.factory';

const DAY = 86400e3;

export interface TaughtCourse {
  adminToken: string;
  instructorToken: string;
  courseId: string;
  sectionId: string;
}

/**
 * A course created through the API by a new admin, taught by a new instructor, with one section and nothing
 * published yet: it started `startedDaysAgo` days ago and runs 60 more days.
 */
export async function taughtCourse(t: TestApp, title: string, startedDaysAgo = 1): Promise<TaughtCourse> {
  const adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  const instructor = await makeUser(t.dataSource, { role: 'instructor' });
  const instructorToken = await t.login(instructor.username);
  const course = await t.post(
    '/api/courses',
    { title, startsAt: new Date(Date.now() - startedDaysAgo * DAY).toISOString(), endsAt: new Date(Date.now() + 60 * DAY).toISOString(), instructorIds: [instructor.id] },
    adminToken,
  );
  const courseId = course.json().id as string;
  const sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, adminToken)).json().id as string;
  return { adminToken, instructorToken, courseId, sectionId };
}

/** A secretary of a branch in a new unit, enrolled in the course by `adminToken`, and signed in. */
export async function enrolledLearner(t: TestApp, adminToken: string, courseId: string): Promise<{ user: User; token: string }> {
  const user = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
  await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [user.id] }, adminToken);
  return { user, token: await t.login(user.username) };
}

export interface TaughtCourseSuite extends TaughtCourse {
  t: TestApp;
  /** Adds an activity (`sectionId` filled in) to the course, publishes the course, and answers the new id. */
  addPublished(activity: Record<string, unknown>): Promise<string>;
  /** A new secretary enrolled in the course and signed in. */
  learner(): Promise<{ user: User; token: string }>;
}

/**
 * The set-up of a describe block whose tests share one test app and one taught course: both are made before
 * its tests and the app is closed after them. Read the fields inside tests (they are filled in by then).
 */
export function taughtCourseSuite(title: string, startedDaysAgo = 1): TaughtCourseSuite {
  const suite = {
    async addPublished(activity: Record<string, unknown>) {
      const created = await suite.t.post(`/api/courses/${suite.courseId}/activities`, { sectionId: suite.sectionId, ...activity }, suite.adminToken);
      expect(created.statusCode).toBe(201);
      await suite.t.post(`/api/courses/${suite.courseId}/publish`, {}, suite.adminToken);
      return created.json().id as string;
    },
    learner: () => enrolledLearner(suite.t, suite.adminToken, suite.courseId),
  } as TaughtCourseSuite;
  beforeAll(async () => {
    suite.t = await createTestApp();
    Object.assign(suite, await taughtCourse(suite.t, title, startedDaysAgo));
  });
  afterAll(() => suite.t?.close());
  return suite;
}
