import { buildCourse, BuiltCourse, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { Redis } from 'ioredis';
import { REDIS } from '../../src/redis/redis';
import { createTestApp, TestApp } from '../support/test-app';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const REFLECTION = '认真学习党章，深刻理解支部书记的职责使命。结合本支部实际，要把“三会一课”落到实处，把党员教育管理抓在日常，把联系服务群众做到心上。';

/**
 * 补学 (make-up) through HTTP: the course's policy decides whether overdue quizzes, readings, videos and
 * discussions stay open; work done in the window counts and is marked 补学 in the record and the reports;
 * outside it the learner gets 409 with a stable code and a Chinese message saying until when it was open.
 */
describe('补学 make-up (e2e)', () => {
  let t: TestApp;
  let admin: string;
  let branch: Awaited<ReturnType<typeof makeBranch>>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
  });
  afterAll(() => t.close());

  async function secretary() {
    const user = await makeUser(t.dataSource, { branch });
    return { user, token: await t.login(user.username) };
  }

  /** A course whose four kinds of online work fell due two hours ago (the session was weeks ago). */
  async function overdueCourse(learnerIds: string[], makeUp: { makeUpPolicy?: 'none' | 'until_end' | 'until'; makeUpUntil?: Date } = {}, extra = {}) {
    const dueAt = new Date(Date.now() - 2 * HOUR).toISOString();
    return buildCourse(t, admin, {
      ...makeUp,
      video: { dueAt, durationSeconds: 20 },
      reading: { dueAt, reflectionNeedsApproval: false },
      quiz: { dueAt },
      discussion: { dueAt, minPosts: 1, minReplies: 0 },
      learnerIds,
      ...extra,
    });
  }

  /**
   * Watches a video span as the player does: the play event, then `to - from` seconds of real time (moved back
   * in Redis, as the video tests do: progress counts only from a playback start the server saw), then the report.
   */
  async function watch(videoId: string, token: string, from: number, to: number) {
    const play = await t.post(`/api/activities/${videoId}/play`, {}, token);
    if (play.statusCode === 200) {
      const userId = (await t.get('/api/me', token)).json().id as string;
      const redis = t.app.get<Redis>(REDIS);
      const started = await redis.hget(`vp:${videoId}:${userId}`, 't');
      if (started) await redis.hset(`vp:${videoId}:${userId}`, 't', String(Number(started) - (to - from) * 1000));
      const [at, budgetAt] = await redis.hmget(`vl:${userId}`, 'at', 'bt');
      if (at) await redis.hset(`vl:${userId}`, 'at', String(Number(at) - (to - from) * 1000));
      if (budgetAt) await redis.hset(`vl:${userId}`, 'bt', String(Number(budgetAt) - (to - from) * 1000));
    }
    return t.post(`/api/activities/${videoId}/progress`, { from, to, deviceId: 'tab-1' }, token);
  }

  /** Does each of the four kinds of work; answers each attempt's HTTP status and body. */
  async function doEverything(course: BuiltCourse, token: string) {
    const quizStart = await t.post(`/api/activities/${course.quiz.id}/attempts`, {}, token);
    const quizSubmit =
      quizStart.statusCode === 201 ? await t.post(`/api/attempts/${quizStart.json().id}/submit`, { answers: { '0': 0, '1': true } }, token) : null;
    const reflection = await t.post(`/api/activities/${course.reading.id}/reflections`, { body: REFLECTION }, token);
    const video = await watch(course.video.id, token, 0, 20);
    const thread = await t.post(`/api/activities/${course.discussion.id}/threads`, { title: '支部的做法', body: REFLECTION }, token);
    return { quizStart, quizSubmit, reflection, video, thread };
  }

  const progressOf = async (course: BuiltCourse, token: string) =>
    expectStatus(await t.get(`/api/courses/${course.id}/progress`, token), 200, 'progress').json() as Promise<{
      creditHours: number;
      madeUpCount: number;
      activities: { id: string; state: string; madeUp: boolean; completedAt: string | null }[];
    }>;

  describe('until the period ends (the default policy)', () => {
    let course: BuiltCourse;
    let learner: Awaited<ReturnType<typeof secretary>>;
    let absent: Awaited<ReturnType<typeof secretary>>;

    beforeAll(async () => {
      learner = await secretary();
      absent = await secretary();
      course = await overdueCourse([learner.user.id, absent.user.id], {}, { extra: [{ type: 'quiz', dueAt: new Date(Date.now() + 5 * DAY).toISOString() }] });
    });

    it('shows the policy on the course', async () => {
      const shown = expectStatus(await t.get(`/api/courses/${course.id}`, learner.token), 200, 'course').json();
      expect(shown).toMatchObject({ makeUpPolicy: 'until_end', makeUpUntil: null });
    });

    it('takes overdue quizzes, reflections, videos and discussion posts, counts them and marks them 补学', async () => {
      const done = await doEverything(course, learner.token);
      expect(done.quizStart.statusCode).toBe(201);
      // The attempt may run until the make-up window ends (the course's closing), not the passed due date.
      expect(new Date(done.quizStart.json().deadlineAt).getTime()).toBeGreaterThan(Date.now() + DAY);
      expect(done.quizSubmit!.json()).toMatchObject({ passed: true });
      expect(done.reflection.statusCode).toBe(201);
      expect(done.video.json()).toMatchObject({ accepted: true, completed: true });
      expect(done.thread.statusCode).toBe(201);

      const progress = await progressOf(course, learner.token);
      for (const activity of [course.quiz, course.reading, course.video, course.discussion]) {
        expect(progress.activities.find((a) => a.id === activity.id)).toMatchObject({ state: 'completed', madeUp: true });
      }
      // 学时 count as usual: 1 + 1.5 + 1 + 1.
      expect(progress.creditHours).toBe(4.5);
      expect(progress.madeUpCount).toBe(4);
    });

    it('does not mark work done before the due date', async () => {
      const onTime = course.extra[0];
      const attempt = expectStatus(await t.post(`/api/activities/${onTime.id}/attempts`, {}, learner.token), 201, 'start').json();
      expect((await t.post(`/api/attempts/${attempt.id}/submit`, { answers: { '0': 0, '1': true } }, learner.token)).json()).toMatchObject({ passed: true });
      expect((await progressOf(course, learner.token)).activities.find((a) => a.id === onTime.id)).toMatchObject({ state: 'completed', madeUp: false });
    });

    it('shows 补学 in the learning record (JSON and CSV), and a missed session as 缺勤 or 已结束, never 未开始', async () => {
      expectStatus(await t.put(`/api/activities/${course.session.id}/attendance/${absent.user.id}`, { status: 'absent' }, admin), 200, 'mark absent');
      const record = expectStatus(await t.get('/api/me/record', learner.token), 200, 'record').json();
      const mine = record.courses.find((c: { course: { id: string } }) => c.course.id === course.id);
      const byId = (id: string) => mine.activities.find((a: { id: string }) => a.id === id);
      expect(byId(course.reading.id)).toMatchObject({ madeUp: true, standing: 'madeUp' });
      expect(byId(course.extra[0].id)).toMatchObject({ madeUp: false, standing: 'completed' });
      expect(byId(course.session.id)).toMatchObject({ state: 'not_started', standing: 'ended' });
      expect(mine.summary.madeUpCount).toBe(4);

      const csv = (await t.get('/api/me/record?format=csv', learner.token)).body;
      expect(csv.split('\n').find((line) => line.includes(course.reading.title))).toContain('补学完成');
      expect(csv.split('\n').find((line) => line.includes(course.session.title))).toContain('已结束，未签到');

      const other = expectStatus(await t.get('/api/me/record', absent.token), 200, 'record').json();
      const theirs = other.courses.find((c: { course: { id: string } }) => c.course.id === course.id).activities;
      expect(theirs.find((a: { id: string }) => a.id === course.session.id)).toMatchObject({ standing: 'absent' });
      // Not done, overdue and still open for make-up: says so, with until when.
      expect(theirs.find((a: { id: string }) => a.id === course.quiz.id)).toMatchObject({ standing: 'makeUp', makeUpUntil: expect.any(String) });
    });

    it('counts 补学 items in the reports’ learner list and its export', async () => {
      const list = expectStatus(await t.get(`/api/reports/courses/${course.id}/learners?status=all`, admin), 200, 'learners').json();
      expect(list.items.find((r: { userId: string }) => r.userId === learner.user.id)).toMatchObject({ madeUpCount: 4 });
      expect(list.items.find((r: { userId: string }) => r.userId === absent.user.id)).toMatchObject({ madeUpCount: 0 });
      const csv = (await t.get(`/api/reports/courses/${course.id}/export?format=csv`, admin)).body;
      const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
      const header = lines[0].split(',');
      const row = lines.find((line) => line.startsWith(`${learner.user.username},`))!.split(',');
      expect(row[header.indexOf('补学项数')]).toBe('4');
    });
  });

  describe('until a set make-up deadline that has passed', () => {
    it('refuses every kind of work with MAKE_UP_CLOSED, saying when it was due and when make-up ended', async () => {
      const learner = await secretary();
      const course = await overdueCourse([learner.user.id], { makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() - HOUR) });
      const done = await doEverything(course, learner.token);
      for (const response of [done.quizStart, done.reflection, done.video, done.thread]) {
        expect(response.statusCode).toBe(409);
        expect(response.json()).toMatchObject({ code: 'MAKE_UP_CLOSED', window: { state: 'closed' } });
        expect(response.json().message).toMatch(/已于 \d{4}年\d+月\d+日 \d{2}:\d{2} 截止，补学也已于 \d{4}年\d+月\d+日 \d{2}:\d{2} 结束，不能再提交。/);
      }
      const progress = await progressOf(course, learner.token);
      expect(progress.activities.every((a) => a.state === 'not_started')).toBe(true);
      const record = expectStatus(await t.get('/api/me/record', learner.token), 200, 'record').json();
      const mine = record.courses.find((c: { course: { id: string } }) => c.course.id === course.id).activities;
      expect(mine.find((a: { id: string }) => a.id === course.quiz.id)).toMatchObject({ standing: 'closed', makeUpUntil: null });
    });

    it('applies a policy change to the very next video report (the video path forgets what it cached)', async () => {
      const learner = await secretary();
      const course = await overdueCourse([learner.user.id], { makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() + DAY) });
      const first = await watch(course.video.id, learner.token, 0, 5);
      expect(first.json()).toMatchObject({ accepted: true, completed: false });
      // Make-up closes now: the next report is refused at once, not when the cached context would expire.
      expectStatus(await t.patch(`/api/courses/${course.id}`, { makeUpPolicy: 'none' }, admin), 200, 'policy none');
      const refused = await t.post(`/api/activities/${course.video.id}/progress`, { from: 5, to: 10, deviceId: 'tab-1' }, learner.token);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('ACTIVITY_CLOSED');
    });
  });

  describe('no make-up (policy none)', () => {
    it('refuses every kind of overdue work with ACTIVITY_CLOSED and a plain Chinese message', async () => {
      const learner = await secretary();
      const course = await overdueCourse([learner.user.id], { makeUpPolicy: 'none' });
      const done = await doEverything(course, learner.token);
      for (const response of [done.quizStart, done.reflection, done.video, done.thread]) {
        expect(response.statusCode).toBe(409);
        expect(response.json()).toMatchObject({ code: 'ACTIVITY_CLOSED' });
        expect(response.json().message).toMatch(/已于 \d{4}年\d+月\d+日 \d{2}:\d{2} 截止，本培训班不安排补学，不能再提交。/);
      }
      expect((await progressOf(course, learner.token)).madeUpCount).toBe(0);
    });
  });

  describe('a closed course', () => {
    it('closes everything, make-up or not', async () => {
      const learner = await secretary();
      const course = await overdueCourse([learner.user.id]);
      expectStatus(await t.post(`/api/courses/${course.id}/close`, {}, admin), 200, 'close');
      const done = await doEverything(course, learner.token);
      for (const response of [done.quizStart, done.reflection, done.video, done.thread]) {
        expect(response.statusCode).toBe(409);
        expect(response.json().code).toBe('COURSE_CLOSED');
      }
    });
  });

  describe('the course setting', () => {
    const period = { startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() };

    it('checks the make-up deadline: needed for `until`, inside the course’s life, only with `until`', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ makeUpPolicy: 'until' }, 'MAKE_UP_UNTIL_REQUIRED', '请填写补学截止时间'],
        [{ makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() + 40 * DAY).toISOString() }, 'MAKE_UP_UNTIL_INVALID', '不能晚于培训班结业时间'],
        [{ makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() - 2 * DAY).toISOString() }, 'MAKE_UP_UNTIL_INVALID', '须晚于培训开始时间'],
        [{ makeUpPolicy: 'none', makeUpUntil: new Date(Date.now() + 2 * DAY).toISOString() }, 'MAKE_UP_UNTIL_UNUSED', '只有补学方式为'],
        [{ makeUpPolicy: 'sometimes' }, 'VALIDATION_FAILED', '补学方式的取值不在可选范围内'],
      ];
      for (const [body, code, message] of cases) {
        const response = await t.post('/api/courses', { title: '补学设置', ...period, ...body }, admin);
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe(code);
        expect(JSON.stringify(response.json().message)).toContain(message);
      }
      const created = expectStatus(
        await t.post('/api/courses', { title: '补学设置', ...period, makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() + 20 * DAY).toISOString() }, admin),
        201,
        'create',
      ).json();
      expect(created).toMatchObject({ makeUpPolicy: 'until', makeUpUntil: expect.any(String) });
      // Leaving `until` drops the deadline.
      expect(expectStatus(await t.patch(`/api/courses/${created.id}`, { makeUpPolicy: 'until_end' }, admin), 200, 'patch').json()).toMatchObject({
        makeUpPolicy: 'until_end',
        makeUpUntil: null,
      });
    });

    it('refuses a make-up deadline before an activity’s due date on a published course (the plan check)', async () => {
      const course = await buildCourse(t, admin, { quiz: { dueAt: new Date(Date.now() + 10 * DAY).toISOString() } });
      const response = await t.patch(`/api/courses/${course.id}`, { makeUpPolicy: 'until', makeUpUntil: new Date(Date.now() + 5 * DAY).toISOString() }, admin);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'PLAN_INVALID', problems: [expect.objectContaining({ activityId: course.quiz.id, field: 'dueAt' })] });
      expect(expectStatus(await t.get(`/api/courses/${course.id}`, admin), 200, 'course').json().makeUpPolicy).toBe('until_end');
    });
  });
});
