import { HttpException } from '@nestjs/common';
import { Activity } from '../../src/courses/activity.entity';
import { CoursesService } from '../../src/courses/courses.service';
import { Branch } from '../../src/org/branch.entity';
import { ProgressPlanService } from '../../src/progress/progress-plan.service';
import { ProgressService } from '../../src/progress/progress.service';
import { activityBody, buildCourse, BuiltCourse, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { csvDownloadLines } from '../support/http-expectations';
import { createTestApp, TestApp } from '../support/test-app';
import { attemptQuiz, postInDiscussion, recordAttendance, submitReflection, watchVideo } from '../factories/learner-work';

const DAY = 24 * 3600 * 1000;
const MINUTE = 60 * 1000;

interface Learner {
  id: string;
  username: string;
  token: string;
}

interface ProgressBody {
  completed: boolean;
  completedAt: string | null;
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  sessionsAttended: number;
  activities: { id: string; state: 'not_started' | 'in_progress' | 'completed'; percent: number; startedAt: string | null; completedAt: string | null }[];
}

describe('progress engine: completion, 学时, plan edits, closing and the learning record', () => {
  let t: TestApp;
  let adminToken: string;
  let engine: ProgressService;
  let courses: CoursesService;
  let branch: Branch;

  beforeAll(async () => {
    t = await createTestApp();
    engine = t.app.get(ProgressService);
    courses = t.app.get(CoursesService);
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    adminToken = await t.login(admin.username);
    branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
  });
  afterAll(() => t.close());

  // ---- helpers ----

  async function secretary(): Promise<Learner> {
    const user = await makeUser(t.dataSource, { branch });
    return { id: user.id, username: user.username, token: await t.login(user.username) };
  }

  async function learners(n: number): Promise<Learner[]> {
    const list: Learner[] = [];
    for (let i = 0; i < n; i += 1) list.push(await secretary());
    return list;
  }

  /** The activity as the engine's callers load it. */
  const activity = (id: string) => t.dataSource.getRepository(Activity).findOneByOrFail({ id });

  async function progress(courseId: string, who: Learner): Promise<ProgressBody> {
    return expectStatus(await t.get(`/api/courses/${courseId}/progress`, who.token), 200, 'GET progress').json();
  }

  const stateOf = (body: ProgressBody, activityId: string) => {
    const found = body.activities.find((a) => a.id === activityId);
    if (!found) throw new Error(`activity ${activityId} not in progress answer`);
    return found;
  };

  async function ledger(courseId: string, userId: string, activityId?: string): Promise<{ entryKey: string; hours: number; source: string }[]> {
    const rows: { entryKey: string; hours: string; source: string }[] = await t.dataSource.query(
      `SELECT entry_key AS entryKey, hours, source FROM credit_entries WHERE course_id = ? AND user_id = ? ${activityId ? 'AND activity_id = ?' : ''} ORDER BY id`,
      [courseId, userId, ...(activityId ? [activityId] : [])],
    );
    return rows.map((r) => ({ entryKey: r.entryKey, hours: Number(r.hours), source: r.source }));
  }

  /** The HTTP status an engine call was refused with, or 'accepted'. */
  async function outcome(promise: Promise<unknown>): Promise<number | 'accepted'> {
    try {
      await promise;
      return 'accepted';
    } catch (error) {
      if (error instanceof HttpException) return error.getStatus();
      throw error;
    }
  }

  /** Completes every standard activity of the course for the learner, one minute apart from `start`. */
  async function completeAll(c: BuiltCourse, who: Learner, start: Date): Promise<Date> {
    let at = start.getTime();
    const next = () => new Date((at += MINUTE));
    await watchVideo(engine, who.id, await activity(c.video.id), 600, next());
    await submitReflection(engine, who.id, await activity(c.reading.id), true, next());
    await attemptQuiz(engine, who.id, await activity(c.quiz.id), true, next());
    await postInDiscussion(engine, who.id, await activity(c.discussion.id), { posts: 2, replies: 1 }, next());
    const last = next();
    await recordAttendance(engine, who.id, await activity(c.session.id), 'present', last);
    return last;
  }

  const past = (days: number) => new Date(Date.now() - days * DAY);

  // ---- 学时 corrections ----

  // The completion rules themselves are tested beside each rule (src/*/…-completion.spec.ts) and the engine's
  // application of them in test/services/progress.service.int-spec.ts; here, what a learner sees over HTTP.
  describe('学时 corrections', () => {
    it('session: absent after present leaves no 学时 even when the session’s 学时 were changed in between', async () => {
      const s = await secretary();
      const c = await buildCourse(t, adminToken, { learnerIds: [s.id] });
      await recordAttendance(engine, s.id, await activity(c.session.id), 'present', past(3));
      expect((await progress(c.id, s)).creditHours).toBe(2);

      expectStatus(await t.patch(`/api/activities/${c.session.id}`, { creditHours: 3 }, adminToken), 200, 'PATCH creditHours');
      expect((await progress(c.id, s)).creditHours).toBe(3);

      await recordAttendance(engine, s.id, await activity(c.session.id), 'absent', past(2));
      const p = await progress(c.id, s);
      expect(stateOf(p, c.session.id).state).toBe('in_progress');
      expect(p).toMatchObject({ requiredDone: 0, sessionsAttended: 0, creditHours: 0 });
      const entries = await ledger(c.id, s.id, c.session.id);
      expect(entries.reduce((sum, e) => sum + e.hours, 0)).toBe(0);
    });
  });

  // ---- idempotence ----

  it('counts the same completing event twice once: 学时, ledger rows and requiredDone', async () => {
    const s = await secretary();
    const c = await buildCourse(t, adminToken, { learnerIds: [s.id] });
    const start = past(3);
    await completeAll(c, s, start);
    const first = await progress(c.id, s);
    expect(first).toMatchObject({ completed: true, requiredDone: 5, requiredTotal: 5, creditHours: 6.5, sessionsAttended: 1 });

    // Every completing event again, later: nothing changes.
    const later = past(1);
    expect(await watchVideo(engine, s.id, await activity(c.video.id), 600, later)).toMatchObject({ state: 'completed', changed: false });
    expect(await submitReflection(engine, s.id, await activity(c.reading.id), true, later)).toMatchObject({ changed: false });
    expect(await attemptQuiz(engine, s.id, await activity(c.quiz.id), true, later)).toMatchObject({ changed: false });
    expect(await postInDiscussion(engine, s.id, await activity(c.discussion.id), { posts: 5, replies: 5 }, later)).toMatchObject({ changed: false });
    expect(await recordAttendance(engine, s.id, await activity(c.session.id), 'present', later)).toMatchObject({ changed: false });

    const second = await progress(c.id, s);
    expect(second).toMatchObject({ completed: true, requiredDone: 5, creditHours: 6.5, sessionsAttended: 1, completedAt: first.completedAt });
    for (const a of c.all) expect(stateOf(second, a.id).completedAt).toBe(stateOf(first, a.id).completedAt);

    const entries = await ledger(c.id, s.id);
    expect(entries).toHaveLength(5);
    for (const a of c.all) {
      expect(await ledger(c.id, s.id, a.id)).toEqual([expect.objectContaining({ hours: a.creditHours })]);
    }
    expect(entries.reduce((sum, e) => sum + e.hours, 0)).toBe(6.5);
  });

  it('serializes concurrent duplicate events of one learner (two tabs, retried requests): no error, counted once', async () => {
    const [s, other] = await learners(2);
    const c = await buildCourse(t, adminToken, { learnerIds: [s.id, other.id] });
    const quiz = await activity(c.quiz.id);
    const video = await activity(c.video.id);

    // The same passing attempt reported four times at once, before the learner has any row.
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => attemptQuiz(engine, s.id, quiz, true, past(1))));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.changed)).toHaveLength(1);
    expect(await ledger(c.id, s.id, c.quiz.id)).toHaveLength(1);
    expect(await progress(c.id, s)).toMatchObject({ requiredDone: 1, creditHours: 1 });

    // Heartbeats of an existing row arriving together.
    await watchVideo(engine, other.id, video, 60, past(2));
    const beats = await Promise.allSettled([480, 500, 520, 540].map((seconds) => watchVideo(engine, other.id, video, seconds, past(1))));
    expect(beats.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await ledger(c.id, other.id, c.video.id)).toHaveLength(1);
    expect(await progress(c.id, other)).toMatchObject({ requiredDone: 1, creditHours: 1 });
  });

  // ---- course completion ----

  it('completes a course only with every required activity done, the 学时 minimum and the session minimum; electives add 学时 only', async () => {
    // Required: video 1 + reading 1.5 + quiz 1 + discussion 1 = 4.5; elective session 2; elective reading 4. Minimums: 8 学时, 1 session.
    const [l1, l2, l3] = await learners(3);
    const c = await buildCourse(t, adminToken, {
      requiredCreditHours: 8,
      requiredSessions: 1,
      session: { required: false },
      extra: [{ type: 'reading', required: false, creditHours: 4, reflectionNeedsApproval: false }],
      learnerIds: [l1.id, l2.id, l3.id],
    });
    const [video, reading, quiz, discussion, session, elective] = await Promise.all(c.all.map((a) => activity(a.id)));
    const base = past(10).getTime();
    const at = (minutes: number) => new Date(base + minutes * MINUTE);

    // L1: the electives first, then the required activities; the last required completion completes the course.
    await recordAttendance(engine, l1.id, session, 'present', at(1));
    await submitReflection(engine, l1.id, elective, false, at(2));
    let p = await progress(c.id, l1);
    expect(p).toMatchObject({ requiredDone: 0, requiredTotal: 4, creditHours: 6, sessionsAttended: 1, completed: false, completedAt: null });
    await watchVideo(engine, l1.id, video, 600, at(3));
    await submitReflection(engine, l1.id, reading, true, at(4));
    await attemptQuiz(engine, l1.id, quiz, true, at(5));
    p = await progress(c.id, l1);
    expect(p).toMatchObject({ requiredDone: 3, creditHours: 9.5, completed: false, completedAt: null });
    await postInDiscussion(engine, l1.id, discussion, { posts: 2, replies: 1 }, at(6));
    p = await progress(c.id, l1);
    expect(p).toMatchObject({ requiredDone: 4, requiredTotal: 4, creditHours: 10.5, sessionsAttended: 1, completed: true, completedAt: at(6).toISOString() });

    // L2: every required activity and the session, but only 6.5 学时 of 8.
    await watchVideo(engine, l2.id, video, 600, at(1));
    await submitReflection(engine, l2.id, reading, true, at(2));
    await attemptQuiz(engine, l2.id, quiz, true, at(3));
    await postInDiscussion(engine, l2.id, discussion, { posts: 2, replies: 1 }, at(4));
    await recordAttendance(engine, l2.id, session, 'present', at(5));
    expect(await progress(c.id, l2)).toMatchObject({ requiredDone: 4, requiredTotal: 4, creditHours: 6.5, sessionsAttended: 1, completed: false, completedAt: null });

    // L3: every required activity and 8.5 学时, but no session.
    await watchVideo(engine, l3.id, video, 600, at(1));
    await submitReflection(engine, l3.id, reading, true, at(2));
    await attemptQuiz(engine, l3.id, quiz, true, at(3));
    await postInDiscussion(engine, l3.id, discussion, { posts: 2, replies: 1 }, at(4));
    await submitReflection(engine, l3.id, elective, false, at(5));
    expect(await progress(c.id, l3)).toMatchObject({ requiredDone: 4, creditHours: 8.5, sessionsAttended: 0, completed: false, completedAt: null });
    // ...attending the (elective) session meets the last minimum; completedAt stays the last required completion.
    await recordAttendance(engine, l3.id, session, 'present', at(6));
    expect(await progress(c.id, l3)).toMatchObject({ requiredDone: 4, creditHours: 10.5, sessionsAttended: 1, completed: true, completedAt: at(4).toISOString() });

    // Lowering the minimum on the published course completes L2 at once.
    expectStatus(await t.patch(`/api/courses/${c.id}`, { requiredCreditHours: 6 }, adminToken), 200, 'PATCH course');
    expect(await progress(c.id, l2)).toMatchObject({ completed: true, completedAt: at(4).toISOString() });
  });

  // ---- plan edits on a published course ----

  it('keeps progress through plan edits: added required activity, archive, 学时 change, delete refused', async () => {
    const [done, partial, idle] = await learners(3);
    const c = await buildCourse(t, adminToken, { learnerIds: [done.id, partial.id, idle.id] });
    await completeAll(c, done, past(5));
    await watchVideo(engine, partial.id, await activity(c.video.id), 600, past(4));
    const before = await progress(c.id, done);
    expect(before).toMatchObject({ completed: true, requiredDone: 5, requiredTotal: 5, creditHours: 6.5 });

    // A new required activity: the completed learner is no longer complete.
    const added = expectStatus(
      await t.post(`/api/courses/${c.id}/activities`, { sectionId: c.sectionId, ...activityBody('reading', c, { reflectionNeedsApproval: false }) }, adminToken),
      201,
      'POST activity',
    ).json();
    let p = await progress(c.id, done);
    expect(p).toMatchObject({ completed: false, completedAt: null, requiredDone: 5, requiredTotal: 6, creditHours: 6.5 });
    expect(stateOf(p, added.id).state).toBe('not_started');
    expect(await progress(c.id, partial)).toMatchObject({ requiredDone: 1, requiredTotal: 6 });

    // Archiving it restores the completion as it was.
    expectStatus(await t.post(`/api/activities/${added.id}/archive`, {}, adminToken), 200, 'archive');
    p = await progress(c.id, done);
    expect(p).toMatchObject({ completed: true, completedAt: before.completedAt, requiredDone: 5, requiredTotal: 5, creditHours: 6.5 });
    expect(p.activities.map((a) => a.id)).not.toContain(added.id);
    // An activity nobody has a record in may be deleted.
    expect((await t.delete(`/api/activities/${added.id}`, adminToken)).statusCode).toBe(204);

    // 学时 of a completed activity change: those who completed it get the difference, others nothing.
    expectStatus(await t.patch(`/api/activities/${c.video.id}`, { creditHours: 3 }, adminToken), 200, 'PATCH creditHours');
    expect(await progress(c.id, done)).toMatchObject({ creditHours: 8.5, completed: true });
    expect(await progress(c.id, partial)).toMatchObject({ creditHours: 3 });
    expect(await progress(c.id, idle)).toMatchObject({ creditHours: 0 });
    expect((await ledger(c.id, done.id, c.video.id)).map((e) => e.hours)).toEqual([1, 2]);
    expectStatus(await t.patch(`/api/activities/${c.video.id}`, { creditHours: 0.5 }, adminToken), 200, 'PATCH creditHours down');
    expect(await progress(c.id, done)).toMatchObject({ creditHours: 6 });
    expect(await progress(c.id, partial)).toMatchObject({ creditHours: 0.5 });
    expect((await ledger(c.id, done.id, c.video.id)).reduce((sum, e) => sum + e.hours, 0)).toBe(0.5);
    // A learner completing it now gets the current 学时.
    await watchVideo(engine, idle.id, await activity(c.video.id), 600, past(1));
    expect(await progress(c.id, idle)).toMatchObject({ creditHours: 0.5, requiredDone: 1 });

    // Deleting an activity learners have records in is refused; archiving works and keeps the records.
    const refused = await t.delete(`/api/activities/${c.video.id}`, adminToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ACTIVITY_HAS_RECORDS' });
    expect(await t.dataSource.getRepository(Activity).existsBy({ id: c.video.id })).toBe(true);
    expectStatus(await t.post(`/api/activities/${c.video.id}/archive`, {}, adminToken), 200, 'archive video');
    p = await progress(c.id, partial);
    expect(p).toMatchObject({ requiredDone: 0, requiredTotal: 4 });
    expect(p.activities.map((a) => a.id)).not.toContain(c.video.id);
    expect(await progress(c.id, done)).toMatchObject({ completed: true, requiredDone: 4, requiredTotal: 4 });
    expectStatus(await t.post(`/api/activities/${c.video.id}/unarchive`, {}, adminToken), 200, 'unarchive video');
    expect(await progress(c.id, partial)).toMatchObject({ requiredDone: 1, requiredTotal: 5 });
  });

  // ---- withdrawal ----

  it('refuses engine events for a withdrawn learner (403) and keeps the course in their record', async () => {
    const s = await secretary();
    const c = await buildCourse(t, adminToken, { learnerIds: [s.id] });
    const doneAt = past(2);
    await watchVideo(engine, s.id, await activity(c.video.id), 600, doneAt);

    expect((await t.delete(`/api/courses/${c.id}/enrollments/${s.id}`, adminToken)).statusCode).toBe(204);

    expect(await outcome(watchVideo(engine, s.id, await activity(c.video.id), 600))).toBe(403);
    expect(await outcome(submitReflection(engine, s.id, await activity(c.reading.id), true))).toBe(403);
    expect(await outcome(attemptQuiz(engine, s.id, await activity(c.quiz.id), true))).toBe(403);
    expect(await outcome(postInDiscussion(engine, s.id, await activity(c.discussion.id), { posts: 9, replies: 9 }))).toBe(403);
    expect(await outcome(recordAttendance(engine, s.id, await activity(c.session.id), 'present'))).toBe(403);
    expect(await ledger(c.id, s.id)).toHaveLength(1);

    const record = expectStatus(await t.get('/api/me/record', s.token), 200, 'GET record').json();
    const entry = record.courses.find((x: { course: { id: string } }) => x.course.id === c.id);
    expect(entry).toBeDefined();
    expect(entry.enrollment.status).toBe('withdrawn');
    expect(entry.enrollment.withdrawnAt).not.toBeNull();
    expect(entry.summary).toMatchObject({ creditHours: 1, requiredDone: 1 });
    const states = Object.fromEntries(entry.activities.map((a: { id: string; state: string }) => [a.id, a.state]));
    expect(states).toEqual({ [c.video.id]: 'completed', [c.reading.id]: 'not_started', [c.quiz.id]: 'not_started', [c.discussion.id]: 'not_started', [c.session.id]: 'not_started' });
    expect(entry.activities.find((a: { id: string }) => a.id === c.video.id).completedAt).toBe(doneAt.toISOString());
  });

  // ---- closing ----

  describe('closing', () => {
    it('a department admin closes the course; results freeze and later events do not change GET /progress', async () => {
      const [done, partial] = await learners(2);
      const c = await buildCourse(t, adminToken, { learnerIds: [done.id, partial.id] });
      await completeAll(c, done, past(4));
      await watchVideo(engine, partial.id, await activity(c.video.id), 100, past(3));

      const unitAdmin = await makeUser(t.dataSource, { role: 'admin', unitId: branch.unitId });
      const instructor = await makeUser(t.dataSource, { role: 'instructor' });
      expect((await t.post(`/api/courses/${c.id}/close`, {}, await t.login(unitAdmin.username))).statusCode).toBe(403);
      expect((await t.post(`/api/courses/${c.id}/close`, {}, await t.login(instructor.username))).statusCode).toBe(403);
      expect((await t.post(`/api/courses/${c.id}/close`, {}, done.token)).statusCode).toBe(403);

      const closed = expectStatus(await t.post(`/api/courses/${c.id}/close`, {}, adminToken), 200, 'close').json();
      expect(closed.status).toBe('closed');
      expect(closed.closedAt).not.toBeNull();
      const frozenDone = await progress(c.id, done);
      const frozenPartial = await progress(c.id, partial);
      expect(frozenDone).toMatchObject({ completed: true, requiredDone: 5, creditHours: 6.5 });
      expect(frozenPartial).toMatchObject({ completed: false, requiredDone: 0, creditHours: 0 });
      const [results] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM course_results WHERE course_id = ?`, [c.id]);
      expect(Number(results.n)).toBe(2);

      // Events after closing (late heartbeats, a late approval, an attendance correction) change nothing visible.
      await watchVideo(engine, partial.id, await activity(c.video.id), 600).catch(() => undefined);
      await attemptQuiz(engine, partial.id, await activity(c.quiz.id), true).catch(() => undefined);
      await submitReflection(engine, partial.id, await activity(c.reading.id), true).catch(() => undefined);
      await recordAttendance(engine, done.id, await activity(c.session.id), 'absent').catch(() => undefined);
      expect(await progress(c.id, done)).toEqual(frozenDone);
      expect(await progress(c.id, partial)).toEqual(frozenPartial);

      // Closed means read-only; closing again changes nothing.
      expect((await t.patch(`/api/activities/${c.quiz.id}`, { creditHours: 5 }, adminToken)).statusCode).toBe(409);
      expect((await t.post(`/api/courses/${c.id}/enrollments`, { userIds: [partial.id] }, adminToken)).statusCode).toBe(409);
      const again = expectStatus(await t.post(`/api/courses/${c.id}/close`, {}, adminToken), 200, 'close again').json();
      expect(again.closedAt).toBe(closed.closedAt);
    });

    it('closeWhenDue closes a course whose endsAt (+ graceDays) has passed and reschedules one still running', async () => {
      const s = await secretary();
      const ended = await buildCourse(t, adminToken, { startsAt: past(90), endsAt: past(1), learnerIds: [s.id] });
      const inGrace = await buildCourse(t, adminToken, { startsAt: past(90), endsAt: past(1), graceDays: 3, learnerIds: [s.id] });
      const running = await buildCourse(t, adminToken, { learnerIds: [s.id] });
      await watchVideo(engine, s.id, await activity(ended.video.id), 600, past(2));

      expect(await courses.closeWhenDue(ended.id)).toBe('closed');
      expect(await courses.closeWhenDue(inGrace.id)).toBe('rescheduled');
      expect(await courses.closeWhenDue(running.id)).toBe('rescheduled');
      expect(await courses.closeWhenDue(ended.id)).toBe('skipped');

      const status = async (id: string) => expectStatus(await t.get(`/api/courses/${id}`, adminToken), 200, 'GET course').json().status;
      expect(await status(ended.id)).toBe('closed');
      expect(await status(inGrace.id)).toBe('published');
      expect(await status(running.id)).toBe('published');

      expect(await progress(ended.id, s)).toMatchObject({ requiredDone: 1, creditHours: 1, completed: false });
      const [frozen] = await t.dataSource.query(`SELECT credit_hours AS hours FROM course_results WHERE course_id = ? AND user_id = ?`, [ended.id, s.id]);
      expect(Number(frozen.hours)).toBe(1);
      const [none] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM course_results WHERE course_id IN (?, ?)`, [inGrace.id, running.id]);
      expect(Number(none.n)).toBe(0);
    });
  });

  // ---- rebuild ----

  it('rebuildCourse reproduces the stored summaries exactly after they are corrupted', async () => {
    const [a, b, cLearner, idle, gone] = await learners(5);
    const c = await buildCourse(t, adminToken, {
      requiredCreditHours: 5,
      requiredSessions: 1,
      extra: [{ type: 'video', required: false, creditHours: 0.5 }],
      learnerIds: [a.id, b.id, cLearner.id, idle.id, gone.id],
    });
    const base = past(20).getTime();
    const at = (minutes: number) => new Date(base + minutes * MINUTE);

    await completeAll(c, a, at(0));
    await watchVideo(engine, a.id, await activity(c.extra[0].id), 600, at(10));
    await watchVideo(engine, b.id, await activity(c.video.id), 200, at(11));
    await attemptQuiz(engine, b.id, await activity(c.quiz.id), true, at(12));
    await submitReflection(engine, b.id, await activity(c.reading.id), false, at(13));
    await recordAttendance(engine, cLearner.id, await activity(c.session.id), 'present', at(14));
    await recordAttendance(engine, cLearner.id, await activity(c.session.id), 'absent', at(15));
    await recordAttendance(engine, cLearner.id, await activity(c.session.id), 'present', at(16));
    await postInDiscussion(engine, cLearner.id, await activity(c.discussion.id), { posts: 1, replies: 0 }, at(17));
    await watchVideo(engine, gone.id, await activity(c.video.id), 600, at(18));
    expectStatus(await t.delete(`/api/courses/${c.id}/enrollments/${gone.id}`, adminToken), 204, 'withdraw');
    // Plan edits: 学时 corrected, a required activity added and completed by one learner.
    expectStatus(await t.patch(`/api/activities/${c.quiz.id}`, { creditHours: 2 }, adminToken), 200, 'PATCH quiz');
    const added = expectStatus(
      await t.post(`/api/courses/${c.id}/activities`, { sectionId: c.sectionId, ...activityBody('quiz', c) }, adminToken),
      201,
      'POST quiz',
    ).json();
    await attemptQuiz(engine, a.id, await activity(added.id), true, at(30));

    const select = () =>
      t.dataSource.query(
        `SELECT course_id, user_id, required_done, required_total, credit_hours, sessions_attended, completed, completed_at, last_activity_at, first_missing_due_at
           FROM course_progress WHERE course_id = ? ORDER BY user_id`,
        [c.id],
      );
    const snapshot = await select();
    expect(snapshot).toHaveLength(5);
    // The per-activity completion counters the reports read (activity_done_counts) are rebuilt too.
    const counters = () =>
      t.dataSource.query(
        `SELECT activity_id, SUM(done) AS done FROM activity_done_counts WHERE course_id = ? GROUP BY activity_id HAVING SUM(done) <> 0 ORDER BY activity_id`,
        [c.id],
      );
    const counted = await counters();
    // The video: a's completion; gone's no longer counts since the withdrawal.
    expect(counted.find((r: { activity_id: string }) => String(r.activity_id) === c.video.id)).toMatchObject({ done: '1' });
    expect(counted.find((r: { activity_id: string }) => String(r.activity_id) === c.session.id)).toMatchObject({ done: '2' });
    const byUser = new Map(snapshot.map((r: { user_id: string }) => [String(r.user_id), r]));
    expect(byUser.get(a.id)).toMatchObject({ required_done: 6, required_total: 6, completed: 1 });
    expect(Number((byUser.get(a.id) as { credit_hours: string }).credit_hours)).toBe(1 + 1.5 + 2 + 1 + 2 + 0.5 + 1);
    expect(byUser.get(cLearner.id)).toMatchObject({ required_done: 1, sessions_attended: 1, completed: 0 });

    await t.dataSource.query(`UPDATE course_progress SET credit_hours = 0, required_done = 0, completed = 0, first_missing_due_at = NULL WHERE course_id = ?`, [c.id]);
    await t.dataSource.query(`UPDATE activity_done_counts SET done = done + 7 WHERE course_id = ?`, [c.id]);
    expect(await select()).not.toEqual(snapshot);
    expect(await counters()).not.toEqual(counted);

    expect(await t.app.get(ProgressPlanService).rebuildCourse(c.id)).toBe(5);
    expect(await select()).toEqual(snapshot);
    expect(await counters()).toEqual(counted);
    expect(await progress(c.id, a)).toMatchObject({ completed: true, completedAt: at(30).toISOString() });
  });

  // ---- learning record and visibility ----

  it('GET /api/me/record lists every activity with state and dates, and ?format=csv is a BOM-prefixed Chinese spreadsheet', async () => {
    const s = await secretary();
    const c = await buildCourse(t, adminToken, { learnerIds: [s.id], extra: [{ type: 'discussion', required: false, creditHours: 0.5, title: `=选修研讨${uniq()}` }] });
    const videoAt = new Date(Date.UTC(2025, 9, 1, 2, 30, 0, 0)); // 2025-10-01 10:30 in Shanghai
    await watchVideo(engine, s.id, await activity(c.video.id), 100, new Date(videoAt.getTime() - 10 * MINUTE));
    await watchVideo(engine, s.id, await activity(c.video.id), 600, videoAt);
    const readingAt = past(1);
    await submitReflection(engine, s.id, await activity(c.reading.id), false, readingAt);

    const response = await t.get('/api/me/record', s.token);
    expect(response.statusCode).toBe(200);
    const record = response.json();
    expect(record.user).toMatchObject({ id: s.id, username: s.username });
    expect(record.courses).toHaveLength(1);
    const [entry] = record.courses;
    expect(entry.course).toMatchObject({ id: c.id, title: c.title, status: 'published' });
    expect(entry.enrollment.status).toBe('active');
    expect(entry.summary).toMatchObject({ requiredDone: 1, requiredTotal: 5, creditHours: 1, completed: false });
    expect(entry.activities.map((a: { id: string }) => a.id)).toEqual(c.all.map((a) => a.id));
    const byId = new Map(entry.activities.map((a: { id: string }) => [a.id, a]));
    expect(byId.get(c.video.id)).toMatchObject({
      type: 'video',
      title: c.video.title,
      required: true,
      creditHours: 1,
      state: 'completed',
      startedAt: new Date(videoAt.getTime() - 10 * MINUTE).toISOString(),
      completedAt: videoAt.toISOString(),
    });
    expect(byId.get(c.reading.id)).toMatchObject({ type: 'reading', state: 'in_progress', startedAt: readingAt.toISOString(), completedAt: null });
    expect(byId.get(c.quiz.id)).toMatchObject({ type: 'quiz', state: 'not_started', startedAt: null, completedAt: null });
    expect(byId.get(c.extra[0].id)).toMatchObject({ required: false, creditHours: 0.5, state: 'not_started' });
    expect(record.credits).toEqual([expect.objectContaining({ courseId: c.id, activityId: c.video.id, hours: 1, source: 'online' })]);

    const csv = await t.get('/api/me/record?format=csv', s.token);
    const lines = csvDownloadLines(csv);
    expect(lines[0]).toBe('培训班,单元,学习任务,类型,必修/选修,学时,截止时间,状态,开始时间,完成时间,补学,可补学至');
    expect(lines).toHaveLength(1 + c.all.length);
    const videoLine = lines.find((l) => l.includes(c.video.title))!;
    expect(videoLine.split(',')).toEqual([c.title, expect.any(String), c.video.title, '视频', '必修', '1', '', '已完成', '2025-10-01 10:20', '2025-10-01 10:30', '', '']);
    expect(lines.find((l) => l.includes(c.reading.title))).toContain('进行中');
    expect(lines.find((l) => l.includes(c.quiz.title))).toContain('未开始');
    // A title that looks like a formula is neutralized.
    expect(lines.find((l) => l.includes(c.extra[0].title))).toContain(`'${c.extra[0].title}`);
    expect(lines.find((l) => l.includes(c.extra[0].title))).toContain('选修');

    expect((await t.get('/api/me/record?format=xml', s.token)).statusCode).toBe(400);
  });

  it('answers 404 for a course the secretary is not enrolled in, and progress is only ever the caller’s own', async () => {
    const [owner, other, nobody] = await learners(3);
    const c = await buildCourse(t, adminToken, { learnerIds: [owner.id] });
    const otherCourse = await buildCourse(t, adminToken, { learnerIds: [other.id] });
    await watchVideo(engine, owner.id, await activity(c.video.id), 600, past(1));

    expect(await progress(c.id, owner)).toMatchObject({ requiredDone: 1, creditHours: 1 });
    // Another secretary (enrolled elsewhere) asking for the owner's course.
    const foreign = await t.get(`/api/courses/${c.id}/progress`, other.token);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain(owner.username);
    expect(await progress(otherCourse.id, other)).toMatchObject({ requiredDone: 0, creditHours: 0 });
    // A secretary enrolled nowhere.
    expect((await t.get(`/api/courses/${c.id}/progress`, nobody.token)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${otherCourse.id}/progress`, nobody.token)).statusCode).toBe(404);
    // Their records do not show the owner's course.
    const otherRecord = expectStatus(await t.get('/api/me/record', other.token), 200, 'record').json();
    expect(otherRecord.courses.map((x: { course: { id: string } }) => x.course.id)).toEqual([otherCourse.id]);
    expect(otherRecord.credits).toEqual([]);
    expect(expectStatus(await t.get('/api/me/record', nobody.token), 200, 'record').json().courses).toEqual([]);
    // A draft course answers 404 even to an enrolled secretary; other roles do not use this route.
    const draft = await buildCourse(t, adminToken, { publish: false, learnerIds: [owner.id] });
    expect((await t.get(`/api/courses/${draft.id}/progress`, owner.token)).statusCode).toBe(404);
    expect((await t.get(`/api/courses/${c.id}/progress`, adminToken)).statusCode).toBe(403);
    expect((await t.get(`/api/courses/${c.id}/progress`)).statusCode).toBe(401);
  });
});
