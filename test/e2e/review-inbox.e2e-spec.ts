import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { COPIED, OTHER_WORDS, OWN_WORDS, READING } from '../factories/reflection-texts';
import { createTestApp, TestApp } from '../support/test-app';

describe('review inbox across courses (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let teacherA: string;
  let teacherB: string;
  let unitOneAdmin: string;
  let unitTwoAdmin: string;
  const people: Record<'first' | 'copier' | 'other', { id: string; name: string; token: string }> = {} as never;
  let readingA: string;
  let readingB: string;
  let courseA: string;
  let courseB: string;

  async function courseWithReading(instructorId: string, reflectionNeedsApproval = true) {
    const now = Date.now();
    const course = await t.post(
      '/api/courses',
      { title: `心得${uniq()}`, startsAt: new Date(now - 86400e3).toISOString(), endsAt: new Date(now + 60 * 86400e3).toISOString(), instructorIds: [instructorId] },
      admin,
    );
    const courseId = course.json().id as string;
    const sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, admin)).json().id;
    const reading = await t.post(
      `/api/courses/${courseId}/activities`,
      { type: 'reading', sectionId, title: `阅读${uniq()}`, creditHours: 2, body: READING, minReflectionLength: 100, reflectionNeedsApproval },
      admin,
    );
    expect(reading.statusCode).toBe(201);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, admin)).statusCode).toBe(200);
    return { courseId, readingId: reading.json().id as string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const a = await makeUser(t.dataSource, { role: 'instructor' });
    const b = await makeUser(t.dataSource, { role: 'instructor' });
    teacherA = await t.login(a.username);
    teacherB = await t.login(b.username);
    const unitOne = await makeUnit(t.dataSource);
    const unitTwo = await makeUnit(t.dataSource);
    unitOneAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitOne.id })).username);
    unitTwoAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitTwo.id })).username);
    ({ courseId: courseA, readingId: readingA } = await courseWithReading(a.id));
    ({ courseId: courseB, readingId: readingB } = await courseWithReading(b.id));
    const branchOne = await makeBranch(t.dataSource, unitOne);
    const branchTwo = await makeBranch(t.dataSource, unitTwo);
    for (const [key, branch] of [['first', branchOne], ['copier', branchTwo], ['other', branchOne]] as const) {
      const user = await makeUser(t.dataSource, { branch });
      people[key] = { id: user.id, name: user.name, token: await t.login(user.username) };
    }
    await t.post(`/api/courses/${courseA}/enrollments`, { userIds: [people.first.id, people.copier.id] }, admin);
    await t.post(`/api/courses/${courseB}/enrollments`, { userIds: [people.other.id] }, admin);
    expect((await t.post(`/api/activities/${readingA}/reflections`, { body: OWN_WORDS }, people.first.token)).statusCode).toBe(201);
    expect((await t.post(`/api/activities/${readingA}/reflections`, { body: COPIED }, people.copier.token)).statusCode).toBe(201);
    expect((await t.post(`/api/activities/${readingB}/reflections`, { body: OTHER_WORDS }, people.other.token)).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  const inbox = async (token: string, query = '') => {
    const res = await t.get(`/api/reviews/reflections${query}`, token);
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const authors = (page: { items: Array<{ author: { id: string } }> }) => page.items.map((i) => i.author.id).sort();

  it('shows each reviewer only what they review: their courses, their unit, everything for the department', async () => {
    const a = await inbox(teacherA);
    expect(authors(a)).toEqual([people.first.id, people.copier.id].sort());
    expect(a.counts).toEqual({ waiting: 2, resubmitted: 0, returned: 0 });
    expect(a.items[0]).toMatchObject({ courseId: courseA, activityId: readingA, status: 'submitted', resubmitted: false, author: { name: people.first.name } });
    expect(a.items[0].courseTitle).toMatch(/^心得/);
    expect(a.items[0].activityTitle).toMatch(/^阅读/);

    // An instructor who does not teach course A sees nothing of it, even when asking for it by id.
    expect(authors(await inbox(teacherB))).toEqual([people.other.id]);
    expect(await inbox(teacherB, `?courseId=${courseA}`)).toMatchObject({ items: [], total: 0, counts: { waiting: 0, resubmitted: 0, returned: 0 } });
    expect((await t.get(`/api/reviews/reflections/${a.items[0].id}/compare`, teacherB)).statusCode).toBe(404);

    // Unit admins: their unit's learners in every course, no one else.
    expect(authors(await inbox(unitOneAdmin))).toEqual([people.first.id, people.other.id].sort());
    expect(authors(await inbox(unitTwoAdmin))).toEqual([people.copier.id]);
    expect((await t.get(`/api/reviews/reflections/${a.items[0].id}/compare`, unitTwoAdmin)).statusCode).toBe(404);

    const all = await inbox(admin, `?courseId=${courseA}`);
    expect(authors(all)).toEqual([people.first.id, people.copier.id].sort());
    // The department's counts cover every course (other test files' too): they agree with its inbox.
    const everything = await inbox(admin);
    expect((await t.get('/api/reviews/reflections/counts', admin)).json()).toEqual(everything.counts);
    expect(everything.counts.waiting).toBeGreaterThanOrEqual(3);
    expect((await t.get('/api/reviews/reflections/counts', teacherB)).json()).toEqual({ waiting: 1, resubmitted: 0, returned: 0 });
  });

  it('names the reflection a near-copy resembles and shows both side by side, hiding another unit’s learner from a unit admin', async () => {
    const items = (await inbox(teacherA)).items;
    const original = items.find((i: { author: { id: string } }) => i.author.id === people.first.id);
    const copy = items.find((i: { author: { id: string } }) => i.author.id === people.copier.id);
    expect(original.similarity).toBeNull();
    expect(copy.similarity).toMatchObject({ source: 'reflection', reflectionId: original.id, authorName: people.first.name, outsideScope: false });
    expect(copy.similarity.score).toBeGreaterThanOrEqual(0.7);

    const compared = await t.get(`/api/reviews/reflections/${copy.id}/compare`, teacherA);
    expect(compared.statusCode).toBe(200);
    expect(compared.json()).toMatchObject({
      reflection: { id: copy.id, body: COPIED },
      similar: { source: 'reflection', id: original.id, author: { name: people.first.name }, body: OWN_WORDS, score: copy.similarity.score },
    });

    // The unit admin of the copier's unit sees the flag and the score, not the other unit's learner or text.
    const own = (await inbox(unitTwoAdmin)).items[0];
    expect(own.similarity).toMatchObject({ source: 'reflection', reflectionId: null, authorName: null, outsideScope: true });
    const hidden = (await t.get(`/api/reviews/reflections/${copy.id}/compare`, unitTwoAdmin)).json();
    expect(hidden.similar).toEqual({ source: 'reflection', outsideScope: true, score: copy.similarity.score });
  });

  it('moves a returned reflection to returned, and its resubmission back to waiting marked as resubmitted', async () => {
    const copy = (await inbox(teacherA)).items.find((i: { author: { id: string } }) => i.author.id === people.copier.id);
    const returned = await t.post(`/api/reflections/${copy.id}/review`, { decision: 'return', feedback: '请用自己的话写' }, teacherA);
    expect(returned.statusCode).toBe(200);
    const afterReturn = await inbox(teacherA, '?status=returned');
    expect(afterReturn.counts).toEqual({ waiting: 1, resubmitted: 0, returned: 1 });
    expect(afterReturn.items).toMatchObject([{ id: copy.id, status: 'returned', feedback: '请用自己的话写' }]);

    expect((await t.post(`/api/activities/${readingA}/reflections`, { body: OTHER_WORDS }, people.copier.token)).statusCode).toBe(201);
    const waiting = await inbox(teacherA);
    expect(waiting.counts).toEqual({ waiting: 2, resubmitted: 1, returned: 0 });
    expect(waiting.items.find((i: { id: string }) => i.id === copy.id)).toMatchObject({ status: 'submitted', resubmitted: true });
    const resubmitted = await inbox(teacherA, '?status=resubmitted');
    expect(resubmitted).toMatchObject({ total: 1, items: [{ id: copy.id, resubmitted: true }] });

    // Approving takes it out of the inbox.
    expect((await t.post(`/api/reflections/${copy.id}/review`, { decision: 'approve' }, teacherA)).statusCode).toBe(200);
    expect((await t.get('/api/reviews/reflections/counts', teacherA)).json()).toEqual({ waiting: 1, resubmitted: 0, returned: 0 });
  });

  it('holds only what waits for a reviewer: a reading that completes on submission adds nothing', async () => {
    const before = (await t.get('/api/reviews/reflections/counts', teacherA)).json();
    const instructorA = (await t.get('/api/me', teacherA)).json().id as string;
    const open = await courseWithReading(instructorA, false);
    await t.post(`/api/courses/${open.courseId}/enrollments`, { userIds: [people.first.id] }, admin);
    const submitted = await t.post(`/api/activities/${open.readingId}/reflections`, { body: OWN_WORDS }, people.first.token);
    expect(submitted.statusCode).toBe(201);
    expect((await t.get('/api/reviews/reflections/counts', teacherA)).json()).toEqual(before);
    expect((await inbox(teacherA, `?courseId=${open.courseId}`)).total).toBe(0);
    // It stays reviewable on the reading itself.
    const onReading = (await t.get(`/api/activities/${open.readingId}/reflections`, teacherA)).json();
    expect(onReading.items.map((r: { id: string }) => r.id)).toContain(submitted.json().id);
  });

  it('refuses secretaries and bad filters', async () => {
    expect((await t.get('/api/reviews/reflections', people.first.token)).statusCode).toBe(403);
    expect((await t.get('/api/reviews/reflections/counts', people.first.token)).statusCode).toBe(403);
    const bad = await t.get('/api/reviews/reflections?status=approved&courseId=abc', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'status', rule: 'oneOf', params: { allowed: ['waiting', 'resubmitted', 'returned'] }, message: '状态的取值不在可选范围内' },
        expect.objectContaining({ field: 'courseId', rule: 'id' }),
      ]),
    );
    expect((await t.get('/api/reviews/reflections/abc/compare', admin)).statusCode).toBe(404);
  });
});
