import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** Bank questions: three on 党章, four on 组织生活; each true/false question's answer is `true`. */
const BANK = [
  ...[1, 2, 3].map((n) => ({ key: `dz-${n}`, tags: ['党章'], kind: 'truefalse', prompt: `党章题${n}`, answer: true, explanation: `解析${n}` })),
  ...[1, 2, 3, 4].map((n) => ({ key: `zz-${n}`, tags: ['组织生活'], kind: 'single', prompt: `组织生活题${n}`, options: ['对', '错'], answer: 0 })),
];

describe('question bank and random draws (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let instructor: string;
  let otherInstructor: string;
  let courseId: string;
  let sectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const teacher = await makeUser(t.dataSource, { role: 'instructor' });
    instructor = await t.login(teacher.username);
    otherInstructor = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);
    const course = await t.post(
      '/api/courses',
      { title: `题库${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString(), instructorIds: [teacher.id] },
      admin,
    );
    courseId = course.json().id;
    sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, admin)).json().id;
    for (const q of BANK) expect((await t.post(`/api/courses/${courseId}/questions`, q, instructor)).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  async function learner() {
    const user = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [user.id] }, admin);
    return { user, token: await t.login(user.username) };
  }

  it('lets the course’s instructors and admins keep the bank, and nobody else see it', async () => {
    const list = await t.get(`/api/courses/${courseId}/questions?tag=${encodeURIComponent('党章')}`, instructor);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 3, tags: [{ tag: '组织生活', count: 4 }, { tag: '党章', count: 3 }] });
    expect(list.json().items[0]).toMatchObject({ key: 'dz-1', kind: 'truefalse', answer: true, explanation: '解析1' });

    const { token } = await learner();
    expect((await t.get(`/api/courses/${courseId}/questions`, token)).statusCode).toBe(403);
    // Another course's instructor does not learn the course exists.
    expect((await t.get(`/api/courses/${courseId}/questions`, otherInstructor)).statusCode).toBe(404);
    expect((await t.post(`/api/courses/${courseId}/questions`, { key: 'x', kind: 'truefalse', prompt: '?', answer: true }, otherInstructor)).statusCode).toBe(404);
    const id = list.json().items[0].id;
    expect((await t.get(`/api/questions/${id}`, otherInstructor)).statusCode).toBe(404);
    expect((await t.get(`/api/questions/${id}`, admin)).json().prompt).toBe('党章题1');
  });

  it('refuses bad questions and taken keys with the reason, writing nothing', async () => {
    const bad = await t.post(`/api/courses/${courseId}/questions`, { key: 'bad key!', kind: 'single', prompt: '缺选项', answer: 3 }, instructor);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'key', rule: 'questionKey', message: '题目标识只能由字母、数字和 _ . - 组成，最多 80 个字符' },
        { field: 'options', rule: 'minItems', params: { min: 2 }, message: '选项至少要有 2 项' },
      ]),
    );
    const taken = await t.post(`/api/courses/${courseId}/questions`, { key: 'dz-1', kind: 'truefalse', prompt: '重复', answer: true }, instructor);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('QUESTION_KEY_TAKEN');
    const id = (await t.get(`/api/courses/${courseId}/questions?q=dz-2`, instructor)).json().items[0].id;
    expect((await t.patch(`/api/questions/${id}`, { key: 'renamed' }, instructor)).statusCode).toBe(400);
    expect((await t.get(`/api/courses/${courseId}/questions`, instructor)).json().total).toBe(BANK.length);
  });

  it('will not publish a quiz whose draws the bank cannot fill', async () => {
    const quiz = await t.post(
      `/api/courses/${courseId}/activities`,
      { type: 'quiz', sectionId, title: `抽题${uniq()}`, creditHours: 1, passPercent: 60, maxAttempts: 3, bank: { keys: ['dz-1'], draws: [{ tags: ['党章'], count: 3 }] } },
      admin,
    );
    expect(quiz.statusCode).toBe(201);
    const publish = await t.post(`/api/courses/${courseId}/publish`, {}, admin);
    expect(publish.statusCode).toBe(400);
    expect(publish.json().problems).toEqual([expect.objectContaining({ activityId: quiz.json().id, field: 'bank.draws.0.count', message: expect.stringContaining('不够抽 3 道') })]);
    expect((await t.patch(`/api/activities/${quiz.json().id}`, { bank: { keys: ['dz-1'], draws: [{ tags: ['党章'], count: 1 }, { tags: ['组织生活'], count: 2 }] } }, admin)).statusCode).toBe(200);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, admin)).statusCode).toBe(200);
  });

  it('draws each attempt’s questions without revealing answers, grades them, and adds statistics up by question', async () => {
    const quiz = (
      await t.post(
        `/api/courses/${courseId}/activities`,
        { type: 'quiz', sectionId, title: `随机${uniq()}`, creditHours: 1, passPercent: 100, maxAttempts: 5, showAnswersAfterSubmit: true, bank: { keys: ['dz-1'], draws: [{ tags: ['组织生活'], count: 2 }] } },
        admin,
      )
    ).json();
    const { token } = await learner();
    expect((await t.get(`/api/activities/${quiz.id}`, token)).json().settings).toMatchObject({ questionCount: 3 });

    const drawn = new Set<string>();
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = await t.post(`/api/activities/${quiz.id}/attempts`, {}, token);
      expect(started.statusCode).toBe(201);
      const view = started.json();
      expect(JSON.stringify(view)).not.toMatch(/"answer"|explanation|"tags"|"key"/);
      expect(view.questions[0].prompt).toBe('党章题1');
      expect(view.questions.slice(1).every((q: { prompt: string }) => q.prompt.startsWith('组织生活题'))).toBe(true);
      expect(new Set(view.questions.map((q: { prompt: string }) => q.prompt)).size).toBe(3);
      view.questions.slice(1).forEach((q: { prompt: string }) => drawn.add(q.prompt));
      // The first attempt answers all right; later ones get the true/false question wrong.
      const answers = Object.fromEntries(view.questions.map((q: { kind: string }, i: number) => [String(i), q.kind === 'truefalse' ? attempt === 0 : 0]));
      const submitted = (await t.post(`/api/attempts/${view.id}/submit`, { answers }, token)).json();
      expect(submitted.result).toMatchObject({ passed: attempt === 0, maxScore: 3, score: attempt === 0 ? 3 : 2 });
      expect(submitted.result.review[0]).toMatchObject({ answer: true, explanation: '解析1' });
    }
    expect(drawn.size).toBeGreaterThanOrEqual(2);

    const stats = (await t.get(`/api/activities/${quiz.id}/quiz-stats`, instructor)).json();
    expect(stats).toMatchObject({ attempts: 3, passed: 1 });
    const fixed = stats.questions.find((q: { prompt: string }) => q.prompt === '党章题1');
    expect(fixed).toMatchObject({ asked: 3, correct: 1, rate: 33.3, bankQuestionId: expect.any(String) });
    const drawnStats = stats.questions.filter((q: { prompt: string }) => q.prompt.startsWith('组织生活题'));
    expect(drawnStats.reduce((sum: number, q: { asked: number }) => sum + q.asked, 0)).toBe(6);
    expect(drawnStats.every((q: { asked: number; correct: number }) => q.correct === q.asked)).toBe(true);
  });

  it('keeps an attempt’s questions when the bank is edited, and refuses edits that would starve a published quiz', async () => {
    const quiz = (
      await t.post(`/api/courses/${courseId}/activities`, { type: 'quiz', sectionId, title: `固定${uniq()}`, creditHours: 1, passPercent: 50, maxAttempts: 2, bank: { keys: ['dz-3'] } }, admin)
    ).json();
    const { token } = await learner();
    const attempt = (await t.post(`/api/activities/${quiz.id}/attempts`, {}, token)).json();
    const id = (await t.get(`/api/courses/${courseId}/questions?q=dz-3`, instructor)).json().items[0].id;

    const edited = await t.patch(`/api/questions/${id}`, { prompt: '党章题3（修订）', answer: false }, instructor);
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ key: 'dz-3', prompt: '党章题3（修订）', answer: false, tags: ['党章'] });
    expect((await t.get(`/api/attempts/${attempt.id}`, token)).json().questions[0].prompt).toBe('党章题3');
    const graded = (await t.post(`/api/attempts/${attempt.id}/submit`, { answers: { '0': true } }, token)).json();
    expect(graded.result).toMatchObject({ passed: true, score: 1 });

    const archive = await t.post(`/api/questions/${id}/archive`, {}, instructor);
    expect(archive.statusCode).toBe(409);
    expect(archive.json()).toMatchObject({ code: 'QUESTION_IN_USE' });
    expect(archive.json().message[0]).toContain(quiz.title);
    // Untagging the questions the earlier quiz draws from is refused the same way.
    const zz = (await t.get(`/api/courses/${courseId}/questions?q=zz-1`, instructor)).json().items[0].id;
    expect((await t.patch(`/api/questions/${zz}`, { tags: [] }, instructor)).statusCode).toBe(200);
    const zz2 = (await t.get(`/api/courses/${courseId}/questions?q=zz-2`, instructor)).json().items[0].id;
    expect((await t.patch(`/api/questions/${zz2}`, { tags: [] }, instructor)).statusCode).toBe(200);
    expect((await t.patch(`/api/questions/${(await t.get(`/api/courses/${courseId}/questions?q=zz-3`, instructor)).json().items[0].id}`, { tags: [] }, instructor)).statusCode).toBe(409);

    const unused = (await t.get(`/api/courses/${courseId}/questions?q=dz-2`, instructor)).json().items[0].id;
    const archived = await t.post(`/api/questions/${unused}/archive`, {}, instructor);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archivedAt).not.toBeNull();
    expect((await t.get(`/api/courses/${courseId}/questions?status=archived`, instructor)).json().items.map((q: { key: string }) => q.key)).toEqual(['dz-2']);
    expect((await t.post(`/api/questions/${unused}/unarchive`, {}, instructor)).json().archivedAt).toBeNull();
  });
});
