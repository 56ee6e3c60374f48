import { Activity } from '../../src/courses/activity.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { buildCourse, BuiltCourse, enrol, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { attemptQuiz, postInDiscussion, recordAttendance, submitReflection, watchVideo } from '../factories/learner-work';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

interface TodoBody {
  items: { activityId: string; courseId: string; courseTitle: string; title: string; type: string; dueAt: string; endsAt: string | null; location: string | null; state: string; overdue: boolean; dueSoon: boolean }[];
  courses: { id: string; title: string; status: string; completed: boolean; requiredDone: number; requiredTotal: number; creditHours: number; requiredCreditHours: number; sessionsAttended: number; sessionsTotal: number; requiredSessions: number }[];
  dueSoonUntil: string;
}

/** GET /api/me/todo: the secretary's home (待办 and course figures) across several courses and states. */
describe('learner home: GET /api/me/todo', () => {
  let t: TestApp;
  let adminToken: string;
  let engine: ProgressService;
  let learner: { id: string; token: string };
  let classmate: { id: string; token: string };
  let running: BuiltCourse;
  let second: BuiltCourse;
  let withdrawn: BuiltCourse;
  let closed: BuiltCourse;
  let draft: BuiltCourse;
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    engine = t.app.get(ProgressService);
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    const me = await makeUser(t.dataSource, { branch });
    const other = await makeUser(t.dataSource, { branch });
    learner = { id: me.id, token: await t.login(me.username) };
    classmate = { id: other.id, token: await t.login(other.username) };
    const both = [learner.id, classmate.id];

    // The running course: an overdue video (started), a reading due in two days, a quiz due in three weeks
    // (not yet soon), a discussion overdue but done, an elective due tomorrow, a session held four weeks ago
    // (missed: nothing to do now) and one in three days.
    running = await buildCourse(t, adminToken, {
      requiredCreditHours: 4,
      requiredSessions: 1,
      video: { dueAt: at(-3 * DAY) },
      reading: { dueAt: at(2 * DAY) },
      quiz: { dueAt: at(21 * DAY) },
      discussion: { dueAt: at(-5 * DAY) },
      extra: [
        { type: 'reading', required: false, dueAt: at(DAY) },
        { type: 'session', startsAt: at(3 * DAY), endsAt: at(3 * DAY + 2 * HOUR), location: '党校二号教室' },
        { type: 'quiz', dueAt: at(-DAY) },
      ],
      learnerIds: both,
    });
    // A second running course: a quiz overdue by an hour; the rest undated.
    second = await buildCourse(t, adminToken, { quiz: { dueAt: at(-HOUR) }, learnerIds: both });
    // Work due soon in a course the learner left, and in one not yet published, never shows.
    withdrawn = await buildCourse(t, adminToken, { reading: { dueAt: at(DAY) }, learnerIds: both });
    expectStatus(await t.delete(`/api/courses/${withdrawn.id}/enrollments/${learner.id}`, adminToken), 204, 'withdraw');
    draft = await buildCourse(t, adminToken, { reading: { dueAt: at(DAY) }, publish: false });
    // A closed course: its card shows the frozen result, its overdue work is no longer to do.
    closed = await buildCourse(t, adminToken, { video: { dueAt: at(-2 * DAY) }, learnerIds: both });

    const activity = (id: string) => t.dataSource.getRepository(Activity).findOneByOrFail({ id });
    await watchVideo(engine, learner.id, await activity(running.video.id), 120);
    await postInDiscussion(engine, learner.id, await activity(running.discussion.id), { posts: 2, replies: 1 });
    await recordAttendance(engine, learner.id, await activity(running.session.id), 'present');
    await attemptQuiz(engine, learner.id, await activity(closed.quiz.id), true);
    // The classmate's progress is theirs alone.
    await submitReflection(engine, classmate.id, await activity(running.reading.id), true);
    expectStatus(await t.post(`/api/courses/${closed.id}/close`, {}, adminToken), 200, 'close');
  }, 120_000);
  afterAll(() => t.close());

  const todo = async (token: string): Promise<TodoBody> => expectStatus(await t.get('/api/me/todo', token), 200, 'GET /api/me/todo').json();

  it('lists overdue required work first (longest overdue first), then work due within seven China days and upcoming sessions, each with its state', async () => {
    const body = await todo(learner.token);
    const [extraSession, overdueQuiz] = [running.extra[1], running.extra[2]];
    expect(body.items.map((i) => [i.activityId, i.overdue, i.dueSoon, i.state])).toEqual([
      [running.video.id, true, false, 'in_progress'],
      [overdueQuiz.id, true, false, 'not_started'],
      [second.quiz.id, true, false, 'not_started'],
      [running.reading.id, false, true, 'not_started'],
      [extraSession.id, false, true, 'not_started'],
    ]);
    expect(body.items[0]).toMatchObject({ courseId: running.id, courseTitle: running.title, title: running.video.title, type: 'video', endsAt: null, location: null });
    expect(body.items[4]).toMatchObject({ type: 'session', location: '党校二号教室' });
    expect(new Date(body.items[4].endsAt!).getTime() - new Date(body.items[4].dueAt).getTime()).toBe(2 * HOUR);
    const soonEnd = new Date(body.dueSoonUntil);
    // The window closes at a Beijing midnight, seven calendar days on.
    expect((soonEnd.getTime() + 8 * HOUR) % DAY).toBe(0);
    expect(soonEnd.getTime() - Date.now()).toBeGreaterThan(6 * DAY);
    expect(soonEnd.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY);
    const listed = new Set(body.items.map((i) => i.courseId));
    for (const hidden of [withdrawn.id, draft.id, closed.id]) expect(listed.has(hidden)).toBe(false);
  });

  it('gives each course card the summary figures: required done / total, 学时 against the requirement, sessions attended of those held', async () => {
    const body = await todo(learner.token);
    // Running courses by their end (the nearest first), then closed ones.
    expect(body.courses.map((c) => c.id)).toEqual([running.id, second.id, closed.id]);
    const card = body.courses.find((c) => c.id === running.id)!;
    expect(card).toEqual({
      id: running.id,
      title: running.title,
      status: 'published',
      startsAt: running.startsAt.toISOString(),
      endsAt: running.endsAt.toISOString(),
      completed: false,
      requiredDone: 2,
      requiredTotal: 7,
      creditHours: 3,
      requiredCreditHours: 4,
      sessionsAttended: 1,
      sessionsTotal: 2,
      requiredSessions: 1,
      questionnaire: null,
    });
    expect(body.courses.find((c) => c.id === closed.id)).toMatchObject({ status: 'closed', requiredDone: 1, requiredTotal: 5, creditHours: 1, completed: false });
  });

  it("answers from each learner's own records: the classmate's reading is done, so it is not on their list", async () => {
    const body = await todo(classmate.token);
    expect(body.items.some((i) => i.activityId === running.reading.id)).toBe(false);
    expect(body.items.some((i) => i.activityId === running.video.id)).toBe(true);
    expect(body.courses.map((c) => c.id)).toContain(withdrawn.id);
  });

  it('reads with the same two queries however many courses the learner has', async () => {
    const spy = jest.spyOn(t.dataSource, 'query');
    try {
      const fresh = await makeUser(t.dataSource, { role: 'secretary' });
      const token = await t.login(fresh.username);
      spy.mockClear();
      expect((await todo(token)).courses).toEqual([]);
      const none = spy.mock.calls.length;
      for (const course of [running, second, withdrawn]) await enrol(t, adminToken, course.id, [fresh.id]);
      spy.mockClear();
      const body = await todo(token);
      expect(body.courses).toHaveLength(3);
      expect(body.items.length).toBeGreaterThanOrEqual(4);
      expect(spy.mock.calls.length).toBe(none);
      expect(none).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('is empty for staff, who learn in no course, and refuses a caller without a token', async () => {
    expect(await todo(adminToken)).toMatchObject({ items: [], courses: [] });
    expect((await t.get('/api/me/todo')).statusCode).toBe(401);
  });
});
