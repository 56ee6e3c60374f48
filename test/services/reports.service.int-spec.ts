import type { AuthUser } from '../../src/common/auth-user';
import { QueueModule } from '../../src/jobs/queue.module';
import { RedisModule } from '../../src/redis/redis.module';
import { ReportsModule } from '../../src/reports/reports.module';
import { ReportsService } from '../../src/reports/reports.service';
import type { User } from '../../src/users/user.entity';
import { makeActivity, makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
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
    const summary = (user: User, done: number, hours: number, completed: boolean) => [course.id, user.id, user.unitId, user.branchId, done, hours, completed ? 1 : 0, completed ? new Date() : null];
    await ds.query(
      `INSERT INTO course_progress (course_id, user_id, active, unit_id, branch_id, required_done, required_total, credit_hours, completed, completed_at)
       VALUES (?, ?, 1, ?, ?, ?, 2, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?), (?, ?, 1, ?, ?, ?, 2, ?, ?, ?)`,
      [...summary(learners.finished, 2, 2, true), ...summary(learners.halfway, 1, 1, false), ...summary(learners.idle, 0, 0, false), ...summary(learners.elsewhere, 0, 0, false)],
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

  it("ranks a unit's branches by completion rate with the names of those behind, and the unit's standing only in aggregate", async () => {
    const ranking = await s.get(ReportsService).branchRanking(courseId, actor(unitOneAdmin), { page: 1, pageSize: 20, skip: 0, names: 20 } as never);
    expect(ranking.items.map((b) => [b.branchId, b.rank, b.behind.map((l) => l.userId)])).toEqual([
      [ids.b1, 1, [ids.halfway]],
      [ids.b2, 2, [ids.idle]],
    ]);
    expect(ranking.unitStanding).toEqual({ rank: 1, of: 2, rate: 0.3333, overallRate: 0.25 });
  });
});
