import type { AuthUser } from '../../src/common/auth-user';
import type { Activity } from '../../src/courses/activity.entity';
import { Transactions } from '../../src/database/transactions';
import { EventBus } from '../../src/events/event-bus';
import { QueueModule } from '../../src/jobs/queue.module';
import type { Branch } from '../../src/org/branch.entity';
import type { Unit } from '../../src/org/unit.entity';
import { RedisModule } from '../../src/redis/redis.module';
import { ReportsModule } from '../../src/reports/reports.module';
import { beijingWeekStart } from '../../src/progress/beijing-week';
import { ProgressService } from '../../src/progress/progress.service';
import { ReportsService } from '../../src/reports/reports.service';
import type { User } from '../../src/users/user.entity';
import { enrolRows, makeActivity, makeCourse, makeCourseRows } from '../factories/course-rows.factory';
import { attemptQuiz, postInDiscussion, recordAttendance, submitReflection, watchVideo } from '../factories/learner-work';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const DAY = 24 * 3600 * 1000;
const actor = (user: User): AuthUser => ({ id: user.id, username: user.username, name: user.name, role: user.role, unitId: user.unitId, branchId: user.branchId, mustChangePassword: false });
const learnersQuery = (extra: Record<string, unknown> = {}) => ({ page: 1, pageSize: 20, skip: 0, status: 'all', sort: 'username', order: 'asc', ...extra }) as never;

/**
 * The summaries of department tracking on ReportsService over the stored aggregates, written here as the
 * progress engine keeps them (the engine's own upkeep and the routes: reports.e2e-spec.ts).
 */
describe('ReportsService (real MySQL)', () => {
  let s: ServiceModule;
  let courseId: string;
  let dept: User;
  let unitOneAdmin: User;
  let unitTwoAdmin: User;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, ReportsModule] });
    const ds = s.dataSource;
    const [one, two] = [await makeUnit(ds, { name: 'A学院党委' }), await makeUnit(ds, { name: 'B学院党委' })];
    const [b1, b2, b3] = [await makeBranch(ds, one, { name: 'A一支部' }), await makeBranch(ds, one, { name: 'A二支部' }), await makeBranch(ds, two, { name: 'B一支部' })];
    ids.one = one.id;
    ids.two = two.id;
    ids.b1 = b1.id;
    ids.b2 = b2.id;
    dept = await makeUser(ds, { role: 'admin' });
    unitOneAdmin = await makeUser(ds, { role: 'admin', unitId: one.id });
    unitTwoAdmin = await makeUser(ds, { role: 'admin', unitId: two.id });
    const course = await makeCourse(ds, { startsAt: new Date(Date.now() - 10 * DAY), endsAt: new Date(Date.now() + 20 * DAY) });
    courseId = course.id;
    const pastDue = await makeActivity(ds, course, { dueAt: new Date(Date.now() - 2 * DAY), position: 0 });
    const later = await makeActivity(ds, course, { dueAt: new Date(Date.now() + 5 * DAY), position: 1 });
    ids.pastDue = pastDue.id;
    // finished: both done; halfway: the past-due one; two learners with nothing done.
    const learners = {
      finished: await makeUser(ds, { branch: b1, username: `a-finished-${course.id}` }),
      halfway: await makeUser(ds, { branch: b1, username: `b-halfway-${course.id}` }),
      idle: await makeUser(ds, { branch: b2, username: `c-idle-${course.id}` }),
      elsewhere: await makeUser(ds, { branch: b3, username: `d-elsewhere-${course.id}` }),
    };
    for (const [key, user] of Object.entries(learners)) ids[key] = user.id;
    // The first due date each misses: none for the finisher, the later one for halfway, the past one for the rest.
    const summary = (user: User, done: number, hours: number, completed: boolean, missing: Activity | null) => [
      course.id,
      user.id,
      user.unitId,
      user.branchId,
      done,
      hours,
      completed ? 1 : 0,
      completed ? new Date() : null,
      missing?.dueAt ?? null,
    ];
    await ds.query(
      `INSERT INTO course_progress (course_id, user_id, active, unit_id, branch_id, required_done, required_total, credit_hours, completed, completed_at, first_missing_due_at)
       VALUES (?, ?, 1, ?, ?, ?, 2, ?, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?, ?)`,
      [
        ...summary(learners.finished, 2, 2, true, null),
        ...summary(learners.halfway, 1, 1, false, later),
        ...summary(learners.idle, 0, 0, false, pastDue),
        ...summary(learners.elsewhere, 0, 0, false, pastDue),
      ],
    );
    await ds.query(
      `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent, completed_at) VALUES (?, ?, ?, 'completed', 100, NOW(3)), (?, ?, ?, 'completed', 100, NOW(3)), (?, ?, ?, 'completed', 100, NOW(3))`,
      [course.id, pastDue.id, learners.finished.id, course.id, later.id, learners.finished.id, course.id, pastDue.id, learners.halfway.id],
    );
    await ds.query(`INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done) VALUES (?, ?, ?, 0, 2), (?, ?, ?, 0, 1)`, [course.id, pastDue.id, one.id, course.id, later.id, one.id]);
  });
  afterAll(() => s.close());

  it('counts completion overall, by unit, by branch and by activity, with the overdue work of each unit', async () => {
    const report = await s.get(ReportsService).completion(courseId, actor(dept));
    expect(report).toMatchObject({ source: 'live', enrolled: 4, completed: 1, rate: 0.25 });
    expect(report.byUnit.map((u) => [u.name, u.enrolled, u.completed, u.rate])).toEqual([
      ['A学院党委', 3, 1, 0.3333],
      ['B学院党委', 1, 0, 0],
    ]);
    expect(report.byBranch.map((b) => [b.name, b.enrolled, b.completed])).toEqual([
      ['A一支部', 2, 1],
      ['A二支部', 1, 0],
      ['B一支部', 1, 0],
    ]);
    expect(report.byActivity.map((a) => [a.done, a.overdue])).toEqual([
      [2, 2],
      [1, 0],
    ]);
    expect(report.overdue).toEqual({ activities: 1, missing: 2 });
    // Required progress: (2/2 + 1/2 + 0 + 0) / 4 learners.
    expect(report.progress.average.required).toBe(0.375);
    expect(report.overdueByUnit.map((u) => [u.name, u.learnersOverdue, u.overdueItems])).toEqual([
      ['A学院党委', 1, 1],
      ['B学院党委', 1, 1],
    ]);
  });

  it("limits a unit admin to their unit's figures and learners, and another unit is not found", async () => {
    const reports = s.get(ReportsService);
    expect(await reports.completion(courseId, actor(unitTwoAdmin))).toMatchObject({ unitId: ids.two, enrolled: 1, completed: 0 });
    await expect(reports.completion(courseId, actor(unitTwoAdmin), ids.one)).rejects.toMatchObject({ response: { code: 'UNIT_NOT_FOUND' } });
    await expect(reports.learners(courseId, actor(unitOneAdmin), learnersQuery({ branchId: (await makeBranch(s.dataSource, await makeUnit(s.dataSource))).id }))).rejects.toMatchObject({
      response: { code: 'BRANCH_NOT_FOUND' },
    });
    expect((await reports.learners(courseId, actor(unitTwoAdmin), learnersQuery())).items.map((l) => l.userId)).toEqual([ids.elsewhere]);
  });

  it('lists learners behind, those yet to do one activity, and sorts them', async () => {
    const reports = s.get(ReportsService);
    const behind = await reports.learners(courseId, actor(dept), learnersQuery({ status: 'behind' }));
    expect(behind.items.map((l) => l.userId)).toEqual([ids.halfway, ids.idle, ids.elsewhere]);
    expect(behind.total).toBe(3);
    const notDone = await reports.learners(courseId, actor(dept), learnersQuery({ activityId: ids.pastDue, sort: 'requiredDone', order: 'desc' }));
    expect(notDone.items.map((l) => l.userId)).toEqual([ids.elsewhere, ids.idle]);
    await expect(reports.learners(courseId, actor(dept), learnersQuery({ activityId: '999999999' }))).rejects.toMatchObject({ response: { code: 'ACTIVITY_NOT_FOUND' } });
  });

  it("streams every learner for exports in the list's order, and a cancelled export gives its connection back", async () => {
    const reports = s.get(ReportsService);
    const all = async (rows: AsyncIterable<{ userId: string }>) => {
      const ids: string[] = [];
      for await (const row of rows) ids.push(row.userId);
      return ids;
    };
    const query = learnersQuery({ status: 'all', sort: 'requiredDone', order: 'desc', pageSize: 100 });
    const listed = (await reports.learners(courseId, actor(dept), query)).items.map((l) => l.userId);
    expect(await all(await reports.allLearners(courseId, actor(dept), query))).toEqual(listed);
    expect(await all(await reports.allLearners(courseId, actor(unitTwoAdmin), learnersQuery()))).toEqual([ids.elsewhere]);
    // Refusals come before the first row, as errors of the call itself.
    await expect(reports.allLearners(courseId, actor(unitTwoAdmin), learnersQuery({ unitId: ids.one }))).rejects.toMatchObject({ response: { code: 'UNIT_NOT_FOUND' } });

    // More cancelled downloads than the pool has connections: each one's connection is back in the pool.
    for (let i = 0; i < s.dataSource.driver.options.poolSize! + 2; i += 1) {
      for await (const row of await reports.allLearners(courseId, actor(dept), query)) {
        expect(row.userId).toBe(listed[0]);
        break;
      }
    }
    expect((await reports.learners(courseId, actor(dept), query)).total).toBe(4);
  });

  it('pages sorted by a figure (cut at the page\'s last value first) are the slices of the whole sorted list, ties included', async () => {
    const reports = s.get(ReportsService);
    for (const [sort, order] of [['requiredDone', 'asc'], ['requiredDone', 'desc'], ['creditHours', 'asc'], ['creditHours', 'desc']]) {
      const whole: string[] = [];
      for await (const row of await reports.allLearners(courseId, actor(dept), learnersQuery({ sort, order }))) whole.push(row.userId);
      expect(whole).toHaveLength(4);
      for (const pageSize of [1, 2, 3, 5]) {
        const paged: string[] = [];
        for (let page = 1; paged.length < whole.length; page += 1) {
          const items = (await reports.learners(courseId, actor(dept), learnersQuery({ sort, order, page, pageSize, skip: (page - 1) * pageSize }))).items;
          expect(items.length).toBeGreaterThan(0);
          paged.push(...items.map((l) => l.userId));
        }
        expect([sort, order, pageSize, paged]).toEqual([sort, order, pageSize, whole]);
      }
    }
    // Past the end: an empty page.
    expect((await reports.learners(courseId, actor(dept), learnersQuery({ sort: 'requiredDone', page: 3, pageSize: 2, skip: 4 }))).items).toEqual([]);
  });

  it("ranks a unit's branches by completion rate with the names of those behind, and the unit's standing only in aggregate", async () => {
    const ranking = await s.get(ReportsService).branchRanking(courseId, actor(unitOneAdmin), { page: 1, pageSize: 20, skip: 0, names: 20 } as never);
    expect(ranking.items.map((b) => [b.branchId, b.rank, b.behind.map((l) => l.userId)])).toEqual([
      [ids.b1, 1, [ids.halfway]],
      [ids.b2, 2, [ids.idle]],
    ]);
    expect(ranking.unitStanding).toEqual({ rank: 1, of: 2, rate: 0.3333, overallRate: 0.25 });
  });
});

/**
 * The department's figures for one class whose progress the engine kept, counted by hand: A1 has 张一 (done),
 * 王二 (3 of 5), 李三 (nothing); A2 has 赵四 (done), 钱五 (1 of 5); B1 has 孙六 (done), 周七 (nothing).
 */
describe('ReportsService over the progress engine’s figures (real MySQL)', () => {
  let s: ServiceModule;
  let engine: ProgressService;
  let dept: User;
  let unitAAdmin: User;
  const unit: Record<'A' | 'B', Unit> = {} as never;
  const branch: Record<'a1' | 'a2' | 'b1', Branch> = {} as never;
  const people: Record<'zhang' | 'wang' | 'li' | 'zhao' | 'qian' | 'sun' | 'zhou', User> = {} as never;
  let course: { id: string; startsAt: Date; activities: Activity[] };
  let act: Record<'video' | 'reading' | 'quiz' | 'discussion' | 'session', Activity>;

  /**
   * A published course with the five kinds (学时 1, 1.5, 1, 1, 2) begun 30 days ago, asking `requiredCreditHours`
   * (0: none), these learners enrolled as the enrolments module does.
   */
  async function classOf(learners: User[], quizDue: Date | null = null, requiredCreditHours = 4) {
    const made = await makeCourseRows(
      s.dataSource,
      [{ type: 'video' }, { type: 'reading', creditHours: 1.5 }, { type: 'quiz', dueAt: quizDue }, { type: 'discussion' }, { type: 'session', creditHours: 2 }],
      { requiredCreditHours },
    );
    const userIds = learners.map((l) => l.id);
    await enrolRows(s.dataSource, made.course.id, userIds);
    await s.get(Transactions).run((manager) => s.get(EventBus).emitInTransaction(manager, 'enrollment.changed', { courseId: made.course.id, userIds }));
    const [video, reading, quiz, discussion, session] = made.activities;
    return { course: { id: made.course.id, startsAt: made.course.startsAt, activities: made.activities }, act: { video, reading, quiz, discussion, session } };
  }

  async function completeAll(userId: string, at = new Date(Date.now() - 2 * DAY)) {
    await watchVideo(engine, userId, act.video, 600, at);
    await submitReflection(engine, userId, act.reading, true, at);
    await attemptQuiz(engine, userId, act.quiz, true, at);
    await postInDiscussion(engine, userId, act.discussion, { posts: 2, replies: 1 }, at);
    await recordAttendance(engine, userId, act.session, 'present', at);
  }

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, QueueModule, ReportsModule] });
    const ds = s.dataSource;
    engine = s.get(ProgressService);
    [unit.A, unit.B] = [await makeUnit(ds), await makeUnit(ds)];
    branch.a1 = await makeBranch(ds, unit.A, { name: `甲一支部${uniq()}` });
    branch.a2 = await makeBranch(ds, unit.A, { name: `甲二支部${uniq()}` });
    branch.b1 = await makeBranch(ds, unit.B, { name: `乙一支部${uniq()}` });
    dept = await makeUser(ds, { role: 'admin' });
    unitAAdmin = await makeUser(ds, { role: 'admin', unitId: unit.A.id });
    const names = { zhang: ['张一', branch.a1], wang: ['王二', branch.a1], li: ['李三', branch.a1], zhao: ['赵四', branch.a2], qian: ['钱五', branch.a2], sun: ['孙六', branch.b1], zhou: ['周七', branch.b1] } as const;
    for (const [key, [name, at]] of Object.entries(names)) people[key as keyof typeof people] = await makeUser(ds, { branch: at, name, username: `r${uniq()}` });
    ({ course, act } = await classOf(Object.values(people), new Date(Date.now() - DAY)));
    for (const key of ['zhang', 'zhao', 'sun'] as const) await completeAll(people[key].id);
    await watchVideo(engine, people.wang.id, act.video, 600);
    await attemptQuiz(engine, people.wang.id, act.quiz, true);
    await postInDiscussion(engine, people.wang.id, act.discussion, { posts: 2, replies: 1 });
    await watchVideo(engine, people.qian.id, act.video, 600);
    await watchVideo(engine, people.li.id, act.video, 100); // started, not done
  });
  afterAll(() => s.close());

  it('counts completion overall, by unit, by branch, by activity, overdue, 学时 and the weekly trend', async () => {
    const body = await s.get(ReportsService).completion(course.id, actor(dept));
    expect(body).toMatchObject({ source: 'live', enrolled: 7, completed: 3, rate: 0.4286 });
    expect(body.byUnit).toEqual(
      expect.arrayContaining([
        { unitId: unit.A.id, name: unit.A.name, enrolled: 5, completed: 2, rate: 0.4, progress: { required: 0.56, creditHours: 0.6 } },
        { unitId: unit.B.id, name: unit.B.name, enrolled: 2, completed: 1, rate: 0.5, progress: { required: 0.5, creditHours: 0.5 } },
      ]),
    );
    expect(body.byUnit).toHaveLength(2);
    const branches = Object.fromEntries(body.byBranch.map((b) => [b.branchId, b]));
    expect(branches[branch.a1.id]).toEqual({
      branchId: branch.a1.id,
      unitId: unit.A.id,
      name: branch.a1.name,
      unit: unit.A.name,
      enrolled: 3,
      completed: 1,
      rate: 0.3333,
      progress: { required: 0.5333, creditHours: 0.5833 },
    });
    expect(branches[branch.a2.id]).toMatchObject({ enrolled: 2, completed: 1, rate: 0.5 });
    expect(branches[branch.b1.id]).toMatchObject({ enrolled: 2, completed: 1, rate: 0.5 });
    const acts = Object.fromEntries(body.byActivity.map((a) => [a.activityId, a]));
    expect(body.byActivity.map((a) => a.activityId)).toEqual(course.activities.map((a) => a.id));
    expect(acts[act.video.id]).toMatchObject({ title: act.video.title, done: 5, rate: 0.7143, overdue: 0 });
    expect(acts[act.quiz.id]).toMatchObject({ done: 4, rate: 0.5714, overdue: 3 });
    expect(acts[act.discussion.id]).toMatchObject({ done: 4 });
    expect(acts[act.reading.id]).toMatchObject({ done: 3 });
    expect(acts[act.session.id]).toMatchObject({ done: 3 });
    expect(body.overdue).toEqual({ activities: 1, missing: 3 });
    // 学时: the three who finished hold 1 + 1.5 + 1 + 1 + 2 = 6.5; 王二 3; 钱五 1; 李三 and 周七 0.
    expect(body.creditHours).toEqual([
      { from: 0, to: 1, learners: 2 },
      { from: 1, to: 2, learners: 1 },
      { from: 3, to: 4, learners: 1 },
      { from: 6, to: 7, learners: 3 },
    ]);
    // The course began 30 days ago and the three finished two days ago: 0 until the last week, then 3 of 7.
    expect(body.weekly).toHaveLength(5);
    expect(body.weekly.slice(0, 4).map((w) => w.completed)).toEqual([0, 0, 0, 0]);
    expect(body.weekly[4]).toMatchObject({ week: 5, completed: 3, rate: 0.4286 });
  });

  it('average progress, its distribution, its weekly series and overdue work by unit mean something before anyone finishes', async () => {
    // Required share: 张一, 赵四, 孙六 5/5; 王二 3/5; 钱五 1/5; 李三, 周七 0. 学时 against 4: the finishers 1, 王二 3/4, 钱五 1/4.
    const body = await s.get(ReportsService).completion(course.id, actor(dept));
    expect(body.progress).toMatchObject({
      started: true,
      requiredTotal: 5,
      requiredCreditHours: 4,
      average: { required: 0.5429, creditHours: 0.5714 },
      branchesDiffer: true,
      unitsDiffer: true,
    });
    expect(body.progress.distribution).toEqual([
      { bucket: '0', from: 0, to: 0, learners: 2 },
      { bucket: '1-25', from: 1, to: 25, learners: 1 },
      { bucket: '26-50', from: 26, to: 50, learners: 0 },
      { bucket: '51-75', from: 51, to: 75, learners: 1 },
      { bucket: '76-99', from: 76, to: 99, learners: 0 },
      { bucket: '100', from: 100, to: 100, learners: 3 },
    ]);
    // The finishers' 15 completions two days ago, 王二's and 钱五's 4 today: 19 of 5 × 7 by the last week.
    const week = (at: number) => beijingWeekStart(new Date(at));
    const weekly = body.progress.weekly;
    expect(weekly[0].weekStart).toBe(week(course.startsAt.getTime()));
    expect(weekly[weekly.length - 1]).toEqual({ weekStart: week(Date.now()), required: 0.5429 });
    expect(weekly.every((w, i) => i === 0 || Date.parse(w.weekStart) - Date.parse(weekly[i - 1].weekStart) === 7 * DAY)).toBe(true);
    for (const w of weekly.slice(0, -1)) expect(w.required).toBe(w.weekStart < week(Date.now() - 2 * DAY) ? 0 : 0.4286);
    // The quiz was due yesterday: 李三 and 钱五 (unit A) and 周七 (unit B) have not done it.
    expect(body.overdueByUnit).toEqual(
      expect.arrayContaining([
        { unitId: unit.A.id, name: unit.A.name, enrolled: 5, learnersOverdue: 2, overdueItems: 2 },
        { unitId: unit.B.id, name: unit.B.name, enrolled: 2, learnersOverdue: 1, overdueItems: 1 },
      ]),
    );
  });

  it("gives a unit admin their unit's figures alone", async () => {
    const own = await s.get(ReportsService).completion(course.id, actor(unitAAdmin));
    expect(own).toMatchObject({ unitId: unit.A.id, enrolled: 5, completed: 2, rate: 0.4 });
    expect(own.byUnit.map((u) => u.unitId)).toEqual([unit.A.id]);
    expect(own.byBranch.map((b) => b.branchId).sort()).toEqual([branch.a1.id, branch.a2.id].sort());
    expect(own.byActivity.find((a) => a.activityId === act.video.id)).toMatchObject({ done: 4, rate: 0.8 });
    expect(own.progress).toMatchObject({ average: { required: 0.56, creditHours: 0.6 }, unitsDiffer: false });
    expect(own.progress.weekly[own.progress.weekly.length - 1].required).toBe(0.56);
    expect(own.progress.distribution.map((b) => b.learners)).toEqual([1, 1, 0, 1, 0, 2]);
    expect(own.overdueByUnit).toEqual([{ unitId: unit.A.id, name: unit.A.name, enrolled: 5, learnersOverdue: 2, overdueItems: 2 }]);
    const learners = await s.get(ReportsService).learners(course.id, actor(unitAAdmin), learnersQuery());
    expect(learners.total).toBe(5);
    expect(learners.items.every((r) => r.unitId === unit.A.id)).toBe(true);
  });

  it('says nothing has started on a course no one has begun, and ranks no branches that are all equal', async () => {
    const { course: fresh } = await classOf([people.zhang, people.zhao, people.sun], null, 0);
    const body = await s.get(ReportsService).completion(fresh.id, actor(dept));
    expect(body.progress).toMatchObject({ started: false, average: { required: 0, creditHours: null }, branchesDiffer: false, unitsDiffer: false });
    expect(body.progress.distribution.map((b) => b.learners)).toEqual([3, 0, 0, 0, 0, 0]);
    expect(body.progress.weekly.every((w) => w.required === 0)).toBe(true);
    const ranking = await s.get(ReportsService).branchRanking(fresh.id, actor(dept), { page: 1, pageSize: 20, skip: 0, names: 20, unitId: unit.A.id } as never);
    expect(ranking.ranked).toBe(false);
    expect(ranking.items.map((b) => b.rank)).toEqual([1, 1]);
  });

  it('lists learners with filters, search, sort and pages', async () => {
    const list = (extra: Record<string, unknown>) => s.get(ReportsService).learners(course.id, actor(dept), learnersQuery(extra));
    const all = await list({ sort: 'name' });
    expect(all.total).toBe(7);
    const wang = all.items.find((r) => r.userId === people.wang.id)!;
    expect(wang).toMatchObject({ name: '王二', branch: branch.a1.name, unit: unit.A.name, requiredDone: 3, requiredTotal: 5, creditHours: 3, completed: false });
    expect(wang.lastActivityAt).toEqual(expect.any(Date));

    const behind = await list({ status: 'behind', sort: 'requiredDone', order: 'desc' });
    expect(behind.items.slice(0, 2).map((r) => r.name)).toEqual(['王二', '钱五']);
    expect(behind.items.slice(2).map((r) => r.requiredDone)).toEqual([0, 0]);
    expect(behind.total).toBe(4);
    expect((await list({ status: 'completed' })).total).toBe(3);
    expect((await list({ unitId: unit.B.id })).items.map((r) => r.name).sort()).toEqual(['周七', '孙六'].sort());
    expect((await list({ branchId: branch.a2.id, status: 'behind' })).items.map((r) => r.name)).toEqual(['钱五']);
    const noReading = await list({ activityId: act.reading.id });
    expect(noReading.items.map((r) => r.userId).sort()).toEqual([people.wang.id, people.li.id, people.qian.id, people.zhou.id].sort());
    expect((await list({ q: '赵' })).items.map((r) => r.name)).toEqual(['赵四']);
    // A name search reads the people first (see summaries()): people of other courses with the name stay out,
    // and the unit and status filters still apply.
    const wangs = await list({ q: '王' });
    expect({ total: wangs.total, names: wangs.items.map((r) => r.name) }).toEqual({ total: 1, names: ['王二'] });
    expect((await list({ q: '王', unitId: unit.B.id })).total).toBe(0);
    expect((await list({ q: '王', status: 'completed' })).total).toBe(0);
    expect((await list({ q: '王', status: 'behind', sort: 'requiredDone' })).items.map((r) => r.name)).toEqual(['王二']);
    expect((await list({ q: people.sun.username })).items.map((r) => r.name)).toEqual(['孙六']);
    const page2 = await list({ sort: 'username', pageSize: 3, page: 2, skip: 3 });
    expect(page2).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(3);
  });

  it("ranks a unit's branches by completion rate with the names of learners behind; the unit standing only in aggregate", async () => {
    const body = await s.get(ReportsService).branchRanking(course.id, actor(unitAAdmin), { page: 1, pageSize: 20, skip: 0, names: 20 } as never);
    expect(body.total).toBe(2);
    expect(body.items.map((b) => [b.rank, b.branchId])).toEqual([
      [1, branch.a2.id],
      [2, branch.a1.id],
    ]);
    expect(body.items[0].behind.map((l) => l.name)).toEqual(['钱五']);
    expect(body.items[1].behind.map((l) => l.name).sort()).toEqual(['王二', '李三'].sort());
    // A 40 % against B 50 %: second of two units, overall 3 of 7; no other unit is named.
    expect(body.unitStanding).toEqual({ rank: 2, of: 2, rate: 0.4, overallRate: 0.4286 });
    expect(JSON.stringify(body)).not.toContain(unit.B.name);
    expect(JSON.stringify(body)).not.toContain('周七');
  });
});
