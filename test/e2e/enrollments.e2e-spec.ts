import { Enrollment } from '../../src/enrollments/enrollment.entity';
import { CourseProgress } from '../../src/progress/course-progress.entity';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

describe('enrollments (e2e)', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
  });
  afterAll(() => t.close());

  async function course(token = adminToken) {
    const created = await t.post(
      '/api/courses',
      { title: `培训班${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 90 * 86400e3).toISOString() },
      token,
    );
    expect(created.statusCode).toBe(201);
    const section = await t.post(`/api/courses/${created.json().id}/sections`, { title: '第一单元' }, token);
    await t.post(`/api/courses/${created.json().id}/activities`, { type: 'discussion', sectionId: section.json().id, title: '研讨', prompt: '谈体会', creditHours: 1 }, token);
    expect((await t.post(`/api/courses/${created.json().id}/publish`, {}, token)).statusCode).toBe(200);
    return created.json().id as string;
  }
  const enrolledIds = async (courseId: string, status: 'active' | 'withdrawn' = 'active') =>
    (await t.dataSource.getRepository(Enrollment).findBy({ courseId, status })).map((e) => e.userId).sort();

  /** A unit with two branches of two secretaries each, plus an instructor and a deactivated secretary. */
  async function organization() {
    const unit = await makeUnit(t.dataSource);
    const [b1, b2] = [await makeBranch(t.dataSource, unit), await makeBranch(t.dataSource, unit)];
    const people = [await makeUser(t.dataSource, { branch: b1 }), await makeUser(t.dataSource, { branch: b1 }), await makeUser(t.dataSource, { branch: b2 }), await makeUser(t.dataSource, { branch: b2 })];
    await makeUser(t.dataSource, { role: 'instructor', unitId: unit.id });
    await makeUser(t.dataSource, { branch: b1, active: false });
    return { unit, b1, b2, people };
  }

  it('enrols by users, branches and units; repeating changes nothing; only active secretaries', async () => {
    const courseId = await course();
    const org = await organization();
    const byUser = await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [org.people[0].id] }, adminToken);
    expect(byUser.statusCode).toBe(200);
    expect(byUser.json()).toEqual({ enrolled: 1, total: 1 });
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [org.b1.id] }, adminToken)).json()).toEqual({ enrolled: 1, total: 2 });
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: [org.unit.id] }, adminToken)).json()).toEqual({ enrolled: 2, total: 4 });
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: [org.unit.id], branchIds: [org.b2.id] }, adminToken)).json()).toEqual({ enrolled: 0, total: 4 });
    expect(await enrolledIds(courseId)).toEqual(org.people.map((p) => p.id).sort());
    // Everyone enrolled has a stored summary from the start.
    expect(await t.dataSource.getRepository(CourseProgress).countBy({ courseId })).toBe(4);
    const list = await t.get(`/api/courses/${courseId}/enrollments?branchId=${org.b1.id}`, adminToken);
    expect(list.json()).toMatchObject({ total: 2 });
    expect(list.json().items[0]).toMatchObject({ status: 'active', progress: { requiredDone: 0, requiredTotal: 1, completed: false } });
  });

  it('enrols all secretaries (全覆盖) in one statement', async () => {
    const courseId = await course();
    const org = await organization();
    const all = await t.post(`/api/courses/${courseId}/enrollments`, { allSecretaries: true }, adminToken);
    expect(all.statusCode).toBe(200);
    const secretaries = await t.dataSource.getRepository(User).countBy({ role: 'secretary', active: true });
    expect(all.json()).toEqual({ enrolled: secretaries, total: secretaries });
    expect(await enrolledIds(courseId)).toEqual(expect.arrayContaining(org.people.map((p) => p.id)));
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { allSecretaries: true }, adminToken)).json().enrolled).toBe(0);
  });

  it('names unknown targets with 404 and writes nothing', async () => {
    const courseId = await course();
    const org = await organization();
    const instructor = await makeUser(t.dataSource, { role: 'instructor' });
    const response = await t.post(
      `/api/courses/${courseId}/enrollments`,
      { userIds: [org.people[0].id, instructor.id], unitIds: ['999999999'], branchIds: [org.b1.id] },
      adminToken,
    );
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'UNKNOWN_ENROLLMENT_TARGET',
      errors: [
        { field: 'userIds', rule: 'unknownId', params: { ids: [instructor.id] } },
        { field: 'unitIds', rule: 'unknownId', params: { ids: ['999999999'] }, message: '二级党组织中有不存在的记录：999999999' },
      ],
    });
    expect(await enrolledIds(courseId)).toEqual([]);
    expect((await t.post(`/api/courses/${courseId}/enrollments`, {}, adminToken)).statusCode).toBe(400);
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: ['abc'] }, adminToken)).statusCode).toBe(400);
  });

  // The rules of withdrawing and coming back are tested on the service (test/services/enrollments.service.int-spec.ts).
  it('withdraws with 204 and answers 404 for someone not in the course', async () => {
    const courseId = await course();
    const org = await organization();
    await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [org.b1.id] }, adminToken);
    const [first] = org.people;
    expect((await t.delete(`/api/courses/${courseId}/enrollments/${first.id}`, adminToken)).statusCode).toBe(204);
    expect(await enrolledIds(courseId, 'withdrawn')).toEqual([first.id]);
    expect((await t.delete(`/api/courses/${courseId}/enrollments/${org.people[2].id}`, adminToken)).statusCode).toBe(404);
  });

  it('enrols people a roster import adds to an enrolled branch or unit, while the course is open', async () => {
    const courseId = await course();
    const closedCourseId = await course();
    const org = await organization();
    await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: [org.unit.id] }, adminToken);
    await t.post(`/api/courses/${closedCourseId}/enrollments`, { unitIds: [org.unit.id] }, adminToken);
    await t.post(`/api/courses/${closedCourseId}/close`, {}, adminToken);

    const tag = uniq();
    const csv = ['工号,姓名,单位,支部', `N${tag}1,新书记甲,${org.unit.name},${org.b1.name}`, `N${tag}2,新书记乙,${org.unit.name},新建党支部${tag}`].join('\n');
    const imported = await t.request({ method: 'POST', url: '/api/users/import', token: adminToken, ...multipartFile('file', 'r.csv', csv) });
    expect(imported.json()).toMatchObject({ created: 2 });
    const newcomers = await t.dataSource.getRepository(User).findBy([{ username: `N${tag}1` }, { username: `N${tag}2` }]);
    const enrolled = await t.dataSource.getRepository(Enrollment).findBy({ courseId, source: 'roster' });
    expect(enrolled.map((e) => e.userId).sort()).toEqual(newcomers.map((u) => u.id).sort());
    expect(await t.dataSource.getRepository(CourseProgress).countBy({ courseId, userId: newcomers[0].id })).toBe(1);
    expect(await t.dataSource.getRepository(Enrollment).countBy({ courseId: closedCourseId, source: 'roster' })).toBe(0);

    // Creating one person through the API, and moving one into the unit, enrol them too.
    const other = await makeUnit(t.dataSource);
    const mover = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, other) });
    expect((await t.patch(`/api/users/${mover.id}`, { branchId: org.b2.id }, adminToken)).statusCode).toBe(200);
    const created = await t.post('/api/users', { username: `C${tag}`, name: '直建书记', role: 'secretary', password: 'password123', branchId: org.b2.id }, adminToken);
    expect(created.statusCode).toBe(201);
    expect(await enrolledIds(courseId)).toEqual(expect.arrayContaining([mover.id, created.json().id]));
  });

  it('limits a unit admin to their unit and keeps secretaries and other instructors out', async () => {
    const courseId = await course();
    const mine = await organization();
    const theirs = await organization();
    const unitAdminToken = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: mine.unit.id })).username);
    const foreign = await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [theirs.b1.id], userIds: [theirs.people[0].id] }, unitAdminToken);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors.map((e: { field: string; rule: string }) => [e.field, e.rule])).toEqual([
      ['userIds', 'unknownIdInUnit'],
      ['branchIds', 'unknownIdInUnit'],
    ]);
    const all = await t.post(`/api/courses/${courseId}/enrollments`, { allSecretaries: true }, unitAdminToken);
    expect(all.json()).toEqual({ enrolled: 4, total: 4 });
    expect(await enrolledIds(courseId)).toEqual(mine.people.map((p) => p.id).sort());
    await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: [theirs.unit.id] }, adminToken);
    const seen = await t.get(`/api/courses/${courseId}/enrollments?pageSize=100`, unitAdminToken);
    expect(seen.json().total).toBe(4);
    expect((await t.delete(`/api/courses/${courseId}/enrollments/${theirs.people[0].id}`, unitAdminToken)).statusCode).toBe(404);

    const secretaryToken = await t.login(mine.people[0].username);
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [mine.people[1].id] }, secretaryToken)).statusCode).toBe(403);
    const outsider = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);
    expect((await t.post(`/api/courses/${courseId}/enrollments`, { allSecretaries: true }, outsider)).statusCode).toBe(404);
  });
});
