import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { QuizAttempt } from '../../src/quizzes/quiz-attempt.entity';
import { QuizzesService } from '../../src/quizzes/quizzes.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { taughtCourseSuite } from '../factories/taught-course';

const QUESTIONS = [
  { kind: 'single', prompt: '正式党员几人以上的单位应成立党的基层组织？', options: ['2人', '3人', '5人'], answer: 1, explanation: '党章规定为3人以上。' },
  { kind: 'multiple', prompt: '“三会一课”包括哪些？', options: ['支部党员大会', '支部委员会', '党小组会', '运动会'], answer: [0, 1, 2] },
  { kind: 'truefalse', prompt: '支部书记是支部工作的第一责任人。', answer: true },
  { kind: 'text', prompt: '每月相对固定一天开展的活动叫什么？', answer: ['主题党日', '主题党日活动'] },
];
const RIGHT = { '0': 1, '1': [2, 0, 1], '2': true, '3': ' 主题党日 ' };

describe('quizzes (e2e)', () => {
  const s = taughtCourseSuite(`测验${uniq()}`);
  const quiz = (settings: Record<string, unknown> = {}) =>
    s.addPublished({ type: 'quiz', title: `测验${uniq()}`, creditHours: 1, passPercent: 75, maxAttempts: 2, questions: QUESTIONS, showAnswersAfterSubmit: true, ...settings });

  it('starts an attempt without anything that reveals the answers, saves answers, grades on submit', async () => {
    const id = await quiz({ shuffleOptions: true });
    const { user, token } = await s.learner();
    const started = await s.t.post(`/api/activities/${id}/attempts`, {}, token);
    expect(started.statusCode).toBe(201);
    const attempt = started.json();
    expect(attempt).toMatchObject({ number: 1, status: 'open', attemptsLeft: 1, deadlineAt: null, result: null });
    expect(JSON.stringify(attempt)).not.toMatch(/"answer"|explanation|主题党日"/);
    expect(attempt.questions[1].options.map((o: { id: number }) => o.id).sort()).toEqual([0, 1, 2, 3]);
    // Starting again while it is open gives the same attempt, not a second one.
    expect((await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json().id).toBe(attempt.id);

    expect((await s.t.put(`/api/attempts/${attempt.id}/answers`, { answers: { '0': 1, '2': true } }, token)).json().answers).toEqual({ '0': 1, '2': true });
    const bad = await s.t.put(`/api/attempts/${attempt.id}/answers`, { answers: { '0': 9, '7': 1, '2': 'yes' } }, token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect(bad.json().errors.map((e: { field: string; rule: string }) => [e.field, e.rule])).toEqual([
      ['answers.0', 'optionIndex'],
      ['answers.2', 'boolean'],
      ['answers.7', 'noSuchQuestion'],
    ]);
    expect(bad.json().message).toEqual(['答案第 1 项须为其中一个选项的序号', '答案第 3 项应为“是”或“否”', '答案第 8 项没有对应的题目']);

    const submitted = await s.t.post(`/api/attempts/${attempt.id}/submit`, { answers: { '1': [2, 0, 1], '3': '主题党日活动' } }, token);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().result).toMatchObject({ score: 4, maxScore: 4, percent: 100, passed: true });
    expect(submitted.json().result.review[0]).toMatchObject({ correct: true, answer: 1, explanation: '党章规定为3人以上。' });
    expect((await s.t.post(`/api/attempts/${attempt.id}/submit`, {}, token)).statusCode).toBe(409);
    expect((await s.t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: user.id })).state).toBe('completed');
  });

  it('allows no more attempts than the quiz gives, even when starts race', async () => {
    const id = await quiz({ maxAttempts: 1 });
    const { user, token } = await s.learner();
    const starts = await Promise.all([1, 2, 3, 4].map(() => s.t.post(`/api/activities/${id}/attempts`, {}, token)));
    expect(new Set(starts.filter((r) => r.statusCode === 201).map((r) => r.json().id)).size).toBe(1);
    const attemptId = starts.find((r) => r.statusCode === 201)!.json().id;
    const failed = await s.t.post(`/api/attempts/${attemptId}/submit`, { answers: { '0': 0 } }, token);
    expect(failed.json().result).toMatchObject({ passed: false, score: 0 });
    const again = await s.t.post(`/api/activities/${id}/attempts`, {}, token);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('NO_ATTEMPTS_LEFT');
    expect(await s.t.dataSource.getRepository(QuizAttempt).countBy({ activityId: id, userId: user.id })).toBe(1);
    expect((await s.t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: user.id })).state).toBe('in_progress');
  });

  it('keeps the deadline on the server: late submissions get 409 and the attempt is graded on what was saved', async () => {
    const id = await quiz({ timeLimitMinutes: 10, showAnswersAfterSubmit: false });
    const { token } = await s.learner();
    const attempt = (await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json();
    expect(new Date(attempt.deadlineAt).getTime() - new Date(attempt.startedAt).getTime()).toBe(10 * 60_000);
    await s.t.put(`/api/attempts/${attempt.id}/answers`, { answers: { '0': 1, '1': [0, 1, 2], '2': true } }, token);
    // Eleven minutes later (the clock moved for this attempt only).
    await s.t.dataSource.getRepository(QuizAttempt).update({ id: attempt.id }, { deadlineAt: new Date(Date.now() - 60_000) });
    const late = await s.t.post(`/api/attempts/${attempt.id}/submit`, { answers: { '3': '主题党日' } }, token);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('ATTEMPT_EXPIRED');
    const closed = (await s.t.get(`/api/attempts/${attempt.id}`, token)).json();
    expect(closed).toMatchObject({ status: 'expired', result: { score: 3, maxScore: 4, passed: true } });
    expect(closed.result.review).toBeUndefined();
  });

  it('closes an abandoned attempt from the expiry job', async () => {
    const id = await quiz({ timeLimitMinutes: 5 });
    const { token } = await s.learner();
    const attempt = (await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json();
    await s.t.put(`/api/attempts/${attempt.id}/answers`, { answers: { '2': true } }, token);
    const service = s.t.app.get(QuizzesService);
    expect(await service.expire(attempt.id)).toBe('skipped'); // not due yet
    await s.t.dataSource.getRepository(QuizAttempt).update({ id: attempt.id }, { deadlineAt: new Date(Date.now() - 60_000) });
    expect(await service.expire(attempt.id)).toBe('expired');
    expect(await service.expire(attempt.id)).toBe('skipped');
    expect(await s.t.dataSource.getRepository(QuizAttempt).findOneByOrFail({ id: attempt.id })).toMatchObject({ status: 'expired', score: 1, passed: false });
  });

  it('shows instructors how many got each question right, and keeps attempts private', async () => {
    const id = await quiz({ maxAttempts: 3 });
    for (const answers of [RIGHT, { '0': 1 }, { '0': 0, '2': true }]) {
      const { token } = await s.learner();
      const attempt = (await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json();
      await s.t.post(`/api/attempts/${attempt.id}/submit`, { answers }, token);
    }
    const stats = (await s.t.get(`/api/activities/${id}/quiz-stats`, s.instructorToken)).json();
    expect(stats).toMatchObject({ attempts: 3, passed: 1 });
    expect(stats.questions.map((q: { correct: number }) => q.correct)).toEqual([2, 1, 2, 1]);
    const { token } = await s.learner();
    expect((await s.t.get(`/api/activities/${id}/quiz-stats`, token)).statusCode).toBe(403);
    const someone = (await s.t.dataSource.getRepository(QuizAttempt).findOneByOrFail({ activityId: id, number: 1 })).id;
    expect((await s.t.get(`/api/attempts/${someone}`, token)).statusCode).toBe(404);
    expect((await s.t.post(`/api/activities/${id}/attempts`, {}, s.instructorToken)).statusCode).toBe(403);
    const stranger = await s.t.login((await makeUser(s.t.dataSource, { branch: await makeBranch(s.t.dataSource, await makeUnit(s.t.dataSource)) })).username);
    expect((await s.t.post(`/api/activities/${id}/attempts`, {}, stranger)).statusCode).toBe(404);
  });

  it('grades by the best attempt by default, and by the last one when the quiz says so', async () => {
    for (const grading of ['best', 'last'] as const) {
      const id = await quiz({ maxAttempts: 2, grading });
      const { user, token } = await s.learner();
      const first = (await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json();
      expect((await s.t.post(`/api/attempts/${first.id}/submit`, { answers: RIGHT }, token)).json().result.passed).toBe(true);
      const second = (await s.t.post(`/api/activities/${id}/attempts`, {}, token)).json();
      expect((await s.t.post(`/api/attempts/${second.id}/submit`, { answers: {} }, token)).json().result.passed).toBe(false);
      const state = (await s.t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: user.id })).state;
      expect({ grading, state }).toEqual({ grading, state: grading === 'best' ? 'completed' : 'in_progress' });
    }
  });
});
