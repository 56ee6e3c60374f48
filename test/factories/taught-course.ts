import type { User } from '../../src/users/user.entity';
import type { TestApp } from '../support/test-app';
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
