import type { AddressInfo } from 'node:net';
import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { CourseProgress } from '../../src/progress/course-progress.entity';
import { buildCourse, BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { expectFiguresKept } from '../support/kept-figures';

const LEARNERS = 20;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

const REFLECTION = `担任支部书记一年来，我最大的体会是要把支部工作和业务工作结合起来。过去组织生活常常流于形式，
大家照本宣科地读文件。今年我们改为每次围绕一个教学中的真实问题展开讨论，请青年教师先讲自己的困惑，再由老党员分享经验。`;
const POST = '我们支部的做法是每月围绕一个教学中的真实问题组织讨论，先由青年教师谈困惑，再请老党员分享经验，最后形成可以落实的措施。';

/**
 * Many learners doing the same first thing in the same second, over real sockets to a listening API on the
 * real database: every request succeeds, every learner has exactly one record, progress counts each once.
 * (Before the fix, 5–12 of 20 first reflections got 500: `SELECT … FOR UPDATE` on the missing row took gap
 * locks that the learners' INSERTs then deadlocked on.)
 */
describe('concurrent first actions (e2e: a listening API, real MySQL)', () => {
  let t: TestApp;
  let base: string;
  let adminToken: string;
  let course: BuiltCourse;
  let learners: { id: string; token: string }[];

  const send = (method: string, path: string, token: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { id: string } }));
  /** All learners at once; each answer's status with its body, for a readable failure. */
  const together = (method: string, path: string, body: unknown, who = learners) =>
    Promise.all(who.map((learner) => send(method, path, learner.token, body)));
  const statuses = (answers: { status: number; body: unknown }[]) => answers.map((a) => (a.status < 300 ? a.status : `${a.status} ${JSON.stringify(a.body)}`));

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const users = await Promise.all(Array.from({ length: LEARNERS }, () => makeUser(t.dataSource)));
    const now = Date.now();
    course = await buildCourse(t, adminToken, {
      startsAt: new Date(now - 10 * DAY),
      endsAt: new Date(now + 30 * DAY),
      reading: { reflectionNeedsApproval: false },
      // Check-in opens 30 minutes before the start: the session is on now.
      session: { startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + HOUR).toISOString() },
      discussion: { minPosts: 1, minReplies: 1 },
      learnerIds: users.map((u) => u.id),
    });
    learners = [];
    for (const user of users) learners.push({ id: user.id, token: await t.login(user.username) });
  });
  afterAll(() => t?.close());
  // However the learners' changes interleaved, the report's kept figures equal a count of their summaries.
  afterEach(() => expectFiguresKept(t.dataSource, course.id));

  const states = (activityId: string) => t.dataSource.getRepository(ActivityProgress).findBy({ activityId });
  const summaries = () => t.dataSource.getRepository(CourseProgress).findBy({ courseId: course.id });

  it('twenty first reflections to one reading at the same moment: all 201, one reflection each, each counted once', async () => {
    const answers = await together('POST', `/api/activities/${course.reading.id}/reflections`, { body: REFLECTION });
    expect(statuses(answers)).toEqual(Array(LEARNERS).fill(201));
    const rows: { user_id: string; n: string }[] = await t.dataSource.query(`SELECT user_id, COUNT(*) AS n FROM reflections WHERE activity_id = ? GROUP BY user_id`, [course.reading.id]);
    expect(rows).toHaveLength(LEARNERS);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    const [{ revisions }] = await t.dataSource.query(
      `SELECT COUNT(*) AS revisions FROM reflection_revisions rr JOIN reflections r ON r.id = rr.reflection_id WHERE r.activity_id = ?`,
      [course.reading.id],
    );
    expect(Number(revisions)).toBe(LEARNERS);
    const done = await states(course.reading.id);
    expect(done.map((s) => s.state)).toEqual(Array(LEARNERS).fill('completed'));
    expect((await summaries()).map((s) => s.requiredDone)).toEqual(Array(LEARNERS).fill(1));
  });

  it('one learner submitting twice at once (a double tap): both succeed, one reflection, one completion', async () => {
    const [me] = learners;
    const twice = await Promise.all([1, 2].map(() => send('POST', `/api/activities/${course.reading.id}/reflections`, me.token, { body: `${REFLECTION}再补充一点。` })));
    expect(statuses(twice)).toEqual([201, 201]);
    expect(twice[0].body.id).toBe(twice[1].body.id);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM reflections WHERE activity_id = ? AND user_id = ?`, [course.reading.id, me.id]);
    expect(Number(n)).toBe(1);
    const [{ entries }] = await t.dataSource.query(`SELECT COUNT(*) AS entries FROM credit_entries WHERE activity_id = ? AND user_id = ?`, [course.reading.id, me.id]);
    expect(Number(entries)).toBe(1);
  });

  it('twenty first quiz attempts at once: all 201, attempt number 1 each', async () => {
    const answers = await together('POST', `/api/activities/${course.quiz.id}/attempts`, {});
    expect(statuses(answers)).toEqual(Array(LEARNERS).fill(201));
    const rows: { user_id: string; n: string; top: number }[] = await t.dataSource.query(
      `SELECT user_id, COUNT(*) AS n, MAX(number) AS top FROM quiz_attempts WHERE activity_id = ? GROUP BY user_id`,
      [course.quiz.id],
    );
    expect(rows).toHaveLength(LEARNERS);
    expect(rows.every((r) => Number(r.n) === 1 && Number(r.top) === 1)).toBe(true);
  });

  it('twenty check-ins with the projected code at once: all 200 present, 学时 granted once each', async () => {
    const { code } = (await t.post(`/api/activities/${course.session.id}/check-in-code`, {}, adminToken)).json();
    const answers = await together('POST', `/api/activities/${course.session.id}/checkin`, { code });
    expect(statuses(answers)).toEqual(Array(LEARNERS).fill(200));
    const [{ present }] = await t.dataSource.query(`SELECT COUNT(*) AS present FROM attendance WHERE activity_id = ? AND status = 'present'`, [course.session.id]);
    expect(Number(present)).toBe(LEARNERS);
    expect((await states(course.session.id)).filter((s) => s.state === 'completed')).toHaveLength(LEARNERS);
    expect((await summaries()).map((s) => s.sessionsAttended)).toEqual(Array(LEARNERS).fill(1));
  });

  it('twenty replies to one thread at once: all 201, the thread counts every post', async () => {
    const [opener, ...others] = learners;
    const thread = await send('POST', `/api/activities/${course.discussion.id}/threads`, opener.token, { title: '我们的做法', body: POST });
    expect(thread.status).toBe(201);
    const answers = await together('POST', `/api/threads/${thread.body.id}/posts`, { body: POST }, others);
    expect(statuses(answers)).toEqual(Array(others.length).fill(201));
    const [{ posts }] = await t.dataSource.query(`SELECT COUNT(*) AS posts FROM discussion_posts WHERE thread_id = ?`, [thread.body.id]);
    expect(Number(posts)).toBe(LEARNERS);
    const [{ post_count }] = await t.dataSource.query(`SELECT post_count FROM discussion_threads WHERE id = ?`, [thread.body.id]);
    expect(Number(post_count)).toBe(LEARNERS);
    // Each replier has one post in another's thread: minPosts 1 and minReplies 1, so done.
    expect((await states(course.discussion.id)).filter((s) => s.state === 'completed')).toHaveLength(others.length);
  });

  it('the same people enrolled by several admins at once (by person, by branch, by unit): all 200, one enrolment and one summary each', async () => {
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    const people = await Promise.all(Array.from({ length: 30 }, () => makeUser(t.dataSource, { branch })));
    const other = await buildCourse(t, adminToken);
    const admins = await Promise.all(Array.from({ length: 6 }, async () => t.login((await makeUser(t.dataSource, { role: 'admin' })).username)));
    const bodies = [{ userIds: people.map((p) => p.id) }, { branchIds: [branch.id] }, { unitIds: [unit.id] }, { userIds: people.map((p) => p.id).reverse() }, { branchIds: [branch.id] }, { unitIds: [unit.id] }];
    const answers = await Promise.all(admins.map((token, i) => send('POST', `/api/courses/${other.id}/enrollments`, token, bodies[i])));
    expect(statuses(answers)).toEqual(Array(admins.length).fill(200));
    const [{ enrolments }] = await t.dataSource.query(`SELECT COUNT(*) AS enrolments FROM enrollments WHERE course_id = ?`, [other.id]);
    expect(Number(enrolments)).toBe(people.length);
    expect(await t.dataSource.getRepository(CourseProgress).countBy({ courseId: other.id })).toBe(people.length);
    await expectFiguresKept(t.dataSource, other.id);
    const [branchRow] = await t.dataSource.query(`SELECT enrolled FROM course_branch_figures WHERE course_id = ? AND branch_id = ?`, [other.id, branch.id]);
    expect(Number(branchRow.enrolled)).toBe(people.length);
  });
});
