import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/common/auth-user';
import type { ActivitySettings } from '../../src/courses/activity-settings';
import { Transactions } from '../../src/database/transactions';
import { EventBus } from '../../src/events/event-bus';
import { QueueModule } from '../../src/jobs/queue.module';
import { ProgressService } from '../../src/progress/progress.service';
import { QuizzesModule } from '../../src/quizzes/quizzes.module';
import { QuizzesService } from '../../src/quizzes/quizzes.service';
import { RedisModule } from '../../src/redis/redis.module';
import { User } from '../../src/users/user.entity';
import { enrolRows, makeCourseRows } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const QUESTIONS = [
  { kind: 'single', prompt: '党的最高领导机关是？', options: ['全国代表大会', '中央委员会'], answer: 0, points: 1 },
  { kind: 'truefalse', prompt: '支部每月召开一次党员大会。', answer: false, points: 1 },
];

/** Grading and the quiz completion rule on the real database: what an attempt does to the learner's progress. */
describe('QuizzesService (grading and completion)', () => {
  let s: ServiceModule;
  let ds: DataSource;
  let quizzes: QuizzesService;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, QuizzesModule] });
    ds = s.dataSource;
    quizzes = s.get(QuizzesService);
  });
  afterAll(() => s.close());

  const actor = (user: User): AuthUser => ({ id: user.id, username: user.username, name: user.name, role: 'secretary', unitId: user.unitId, branchId: user.branchId, mustChangePassword: false });

  async function quizFor(grading: 'best' | 'last') {
    const learner = await makeUser(ds, { branch: await makeBranch(ds, await makeUnit(ds)) });
    const settings = { passPercent: 100, maxAttempts: 5, grading, shuffleOptions: false, questions: QUESTIONS } as unknown as ActivitySettings;
    const { course, activities } = await makeCourseRows(ds, [{ type: 'quiz', creditHours: 1.5, settings }]);
    await enrolRows(ds, course.id, [learner.id]);
    await s.get(Transactions).run((manager) => s.get(EventBus).emitInTransaction(manager, 'enrollment.changed', { courseId: course.id, userIds: [learner.id] }));
    return { quiz: activities[0], learner: actor(learner) };
  }

  async function attempt(quizId: string, learner: AuthUser, answers: Record<string, unknown>) {
    const started = await quizzes.start(quizId, learner);
    return quizzes.submit(started.id, learner, answers);
  }

  const state = async (quizId: string, userId: string) => (await s.get(ProgressService).statesFor(userId, [quizId])).get(quizId)?.state ?? 'not_started';

  it('grades by points: all right passes and completes the quiz, one wrong fails at a 100 % pass mark', async () => {
    const { quiz, learner } = await quizFor('best');
    expect(await attempt(quiz.id, learner, { '0': 1, '1': false })).toMatchObject({ score: 1, percent: 50, passed: false });
    expect(await state(quiz.id, learner.id)).toBe('in_progress');
    expect(await attempt(quiz.id, learner, { '0': 0, '1': false })).toMatchObject({ score: 2, percent: 100, passed: true });
    expect(await state(quiz.id, learner.id)).toBe('completed');
  });

  it('best-attempt grading keeps a pass after a later fail; last-attempt grading takes it back', async () => {
    const best = await quizFor('best');
    await attempt(best.quiz.id, best.learner, { '0': 0, '1': false });
    await attempt(best.quiz.id, best.learner, { '0': 1, '1': true });
    expect(await state(best.quiz.id, best.learner.id)).toBe('completed');

    const last = await quizFor('last');
    await attempt(last.quiz.id, last.learner, { '0': 0, '1': false });
    await attempt(last.quiz.id, last.learner, { '0': 1, '1': true });
    expect(await state(last.quiz.id, last.learner.id)).toBe('in_progress');
  });

  it('starting twice gives the open attempt; the attempts run out at maxAttempts', async () => {
    const { quiz, learner } = await quizFor('best');
    const first = await quizzes.start(quiz.id, learner);
    expect((await quizzes.start(quiz.id, learner)).id).toBe(first.id);
    await quizzes.submit(first.id, learner, {});
    for (let i = 0; i < 4; i++) await attempt(quiz.id, learner, {});
    await expect(quizzes.start(quiz.id, learner)).rejects.toMatchObject({ response: { code: 'NO_ATTEMPTS_LEFT' } });
  });
});
