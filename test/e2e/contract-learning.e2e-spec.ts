import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The "Learning" rows of API.md, called exactly as written there (paths, bodies, status codes and answer
 * fields). Feature tests go deeper; this one guards the contract that clients and scripts rely on.
 */
describe('API.md contract: learning (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let instructor: string;
  let courseId: string;
  let sectionId: string;
  let learner: { id: string; token: string };
  let other: { id: string; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const teacher = await makeUser(t.dataSource, { role: 'instructor' });
    instructor = await t.login(teacher.username);
    courseId = (
      await t.post('/api/courses', { title: `契约${uniq()}`, startsAt: new Date(Date.now() - 5 * 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString(), instructorIds: [teacher.id] }, admin)
    ).json().id;
    sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, admin)).json().id;
    const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    const a = await makeUser(t.dataSource, { branch });
    const b = await makeUser(t.dataSource, { branch });
    learner = { id: a.id, token: await t.login(a.username) };
    other = { id: b.id, token: await t.login(b.username) };
  });
  afterAll(() => t.close());

  async function activity(body: Record<string, unknown>): Promise<string> {
    const created = await t.post(`/api/courses/${courseId}/activities`, { sectionId, creditHours: 1, title: `任务${uniq()}`, ...body }, admin);
    expect(created.statusCode).toBe(201);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, admin)).statusCode).toBe(200);
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [learner.id, other.id] }, admin);
    return created.json().id;
  }

  it('quiz: POST attempts → 201 {id, expiresAt, questions: [{id, kind, prompt, options}]}; submit {answers: {questionId}} → 200 {score, percent, passed}', async () => {
    const id = await activity({
      type: 'quiz',
      passPercent: 100,
      maxAttempts: 1,
      timeLimitMinutes: 20,
      questions: [
        { kind: 'single', prompt: '支部委员会会议一般多久召开一次？', options: ['每月', '每年'], answer: 0 },
        { kind: 'truefalse', prompt: '预备期为一年。', answer: true },
      ],
    });
    const started = await t.post(`/api/activities/${id}/attempts`, {}, learner.token);
    expect(started.statusCode).toBe(201);
    const attempt = started.json();
    expect(attempt).toMatchObject({ id: expect.any(String), expiresAt: expect.any(String) });
    for (const q of attempt.questions) expect(q).toMatchObject({ id: expect.any(String), kind: expect.any(String), prompt: expect.any(String) });
    expect(attempt.questions[0].options).toHaveLength(2);
    expect(JSON.stringify(attempt)).not.toMatch(/"answer"/);

    const byPrompt = (text: string) => attempt.questions.find((q: { prompt: string }) => q.prompt.startsWith(text));
    const option = byPrompt('支部委员会').options.find((o: { text: string }) => o.text === '每月').id;
    const submitted = await t.post(`/api/attempts/${attempt.id}/submit`, { answers: { [byPrompt('支部委员会').id]: option, [byPrompt('预备期').id]: true } }, learner.token);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ score: 2, percent: 100, passed: true });
    expect((await t.post(`/api/attempts/${attempt.id}/submit`, { answers: {} }, learner.token)).statusCode).toBe(409);
    expect((await t.post(`/api/activities/${id}/attempts`, {}, learner.token)).statusCode).toBe(409); // attempts used up
  });

  it('threads: create 201, GET {id, title, body, author, pinned, locked, posts}, posts 201 with bodyHtml, PATCH {locked} → posting 409', async () => {
    const id = await activity({ type: 'discussion', prompt: '谈谈如何开好组织生活会', minPosts: 1 });
    const created = await t.post(`/api/activities/${id}/threads`, { title: '我的体会', body: '**认真**准备' }, learner.token);
    expect(created.statusCode).toBe(201);
    const threadId = created.json().id;
    expect((await t.get(`/api/activities/${id}/threads`, other.token)).json().items[0]).toMatchObject({ id: threadId, pinned: false });

    const thread = (await t.get(`/api/threads/${threadId}`, other.token)).json();
    expect(thread).toMatchObject({ id: threadId, title: '我的体会', body: '**认真**准备', author: { id: learner.id }, pinned: false, locked: false });
    expect(thread.bodyHtml).toContain('<strong>认真</strong>');
    expect(thread.posts.items[0].bodyHtml).toContain('<strong>认真</strong>');

    const reply = await t.post(`/api/threads/${threadId}/posts`, { body: '赞同<script>alert(1)</script>', parentId: thread.posts.items[0].id }, other.token);
    expect(reply.statusCode).toBe(201);
    expect(reply.json().bodyHtml).not.toContain('<script>');

    expect((await t.patch(`/api/threads/${threadId}`, { pinned: true, locked: true }, learner.token)).statusCode).toBe(403);
    const patched = await t.patch(`/api/threads/${threadId}`, { pinned: true, locked: true }, instructor);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ pinned: true, locked: true });
    expect((await t.post(`/api/threads/${threadId}/posts`, { body: '再说一句' }, other.token)).statusCode).toBe(409);
  });

  it('sessions: check-in-code 201 {code, validUntil}; check-in {code} 200 (400 for a wrong one); PUT attendance {userIds, present} 200', async () => {
    const starts = Date.now() - 10 * 60_000;
    const id = await activity({ type: 'session', startsAt: new Date(starts).toISOString(), endsAt: new Date(starts + 2 * 3600e3).toISOString(), location: '党校报告厅' });
    expect((await t.post(`/api/activities/${id}/check-in-code`, {}, learner.token)).statusCode).toBe(403);
    const issued = await t.post(`/api/activities/${id}/check-in-code`, {}, instructor);
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), validUntil: expect.any(String) });
    expect(new Date(issued.json().validUntil).getTime()).toBeGreaterThan(Date.now());

    const wrong = String((Number(issued.json().code) + 1) % 1_000_000).padStart(6, '0');
    expect((await t.post(`/api/activities/${id}/check-in`, { code: wrong }, learner.token)).statusCode).toBe(400);
    expect((await t.post(`/api/activities/${id}/check-in`, { code: issued.json().code }, learner.token)).statusCode).toBe(200);
    expect((await t.get(`/api/activities/${id}/checkin`, instructor)).json()).toEqual({ open: true, present: 1 });

    const stranger = await makeUser(t.dataSource);
    const refused = await t.put(`/api/activities/${id}/attendance`, { userIds: [other.id, stranger.id], present: true }, instructor);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'ENROLLMENT_NOT_FOUND', errors: [{ field: 'userIds', rule: 'notLearners', params: { ids: [stranger.id] } }] });
    expect(refused.json().message).toEqual([`人员中有不是本班学员的人：${stranger.id}`]);
    expect((await t.put(`/api/activities/${id}/attendance`, { userIds: [other.id], present: true }, instructor)).json()).toEqual({ updated: 1, status: 'present' });
    const list = (await t.get(`/api/activities/${id}/attendance`, instructor)).json();
    expect(list.filter((row: { status: string }) => row.status === 'present').map((row: { user: { id: string } }) => row.user.id).sort()).toEqual([learner.id, other.id].sort());
    expect((await t.put(`/api/activities/${id}/attendance`, { userIds: [], present: true }, instructor)).statusCode).toBe(400);
  });

  it('suggestions: POST 201; reply {body} 201; GET lists own (with replies) for users and all for the department', async () => {
    const created = await t.post('/api/suggestions', { title: '建议增加案例教学', body: '希望多讲*实际*案例', courseId }, learner.token);
    expect(created.statusCode).toBe(201);
    expect(created.json().bodyHtml).toContain('<em>实际</em>');
    expect(created.json().courseTitle).toMatch(/^契约/);
    const replied = await t.post(`/api/suggestions/${created.json().id}/reply`, { body: '已采纳，下期增加。' }, admin);
    expect(replied.statusCode).toBe(201);
    expect(replied.json()).toMatchObject({ reply: '已采纳，下期增加。', status: 'answered' });
    expect((await t.post(`/api/suggestions/${created.json().id}/reply`, {}, admin)).statusCode).toBe(400);

    const mine = (await t.get('/api/suggestions', learner.token)).json();
    expect(mine.items.find((s: { id: string }) => s.id === created.json().id)).toMatchObject({ reply: '已采纳，下期增加。' });
    expect((await t.get('/api/suggestions', other.token)).json().items.some((s: { id: string }) => s.id === created.json().id)).toBe(false);
    expect((await t.get('/api/suggestions', admin)).json().items.some((s: { id: string }) => s.id === created.json().id)).toBe(true);
  });

  it('course forum: learners and teachers post outside any activity; strangers see nothing; replies notify', async () => {
    await activity({ type: 'discussion', prompt: '任务' });
    const created = await t.post(`/api/courses/${courseId}/forum/threads`, { title: '开班答疑', body: '学习中有问题请在这里提' }, instructor);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ activityId: null, courseId, body: '学习中有问题请在这里提' });
    const threadId = created.json().id;
    expect((await t.post(`/api/threads/${threadId}/posts`, { body: '请问学时怎么算？' }, learner.token)).statusCode).toBe(201);

    const list = (await t.get(`/api/courses/${courseId}/forum/threads`, other.token)).json();
    expect(list.items.map((th: { id: string }) => th.id)).toEqual([threadId]);
    const outsider = await t.login((await makeUser(t.dataSource)).username);
    expect((await t.get(`/api/courses/${courseId}/forum/threads`, outsider)).statusCode).toBe(404);
    expect((await t.get(`/api/threads/${threadId}`, outsider)).statusCode).toBe(404);

    const notes = (await t.get('/api/me/notifications', instructor)).json();
    expect(notes.items[0]).toMatchObject({ kind: 'discussion.reply', link: `/courses/${courseId}/forum/threads/${threadId}` });
    expect((await t.post(`/api/threads/${threadId}/moderate`, { pinned: true }, instructor)).json().pinned).toBe(true);
  });
});
