import ExcelJS from 'exceljs';
import { Activity } from '../../src/courses/activity.entity';
import { VideoFile } from '../../src/videos/video-file.entity';
import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { ProgressPlanService } from '../../src/progress/progress-plan.service';
import { ProgressService } from '../../src/progress/progress.service';
import { User } from '../../src/users/user.entity';
import { activityBody, buildCourse, BuiltCourse, enrol, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { csvDownloadLines } from '../support/http-expectations';
import { expectFiguresKept } from '../support/kept-figures';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';
import { attemptQuiz, postInDiscussion, recordAttendance, submitReflection, watchVideo } from '../factories/learner-work';

const DAY = 24 * 3600 * 1000;

describe('department tracking: completion, learners, unit view, exports', () => {
  let t: TestApp;
  let engine: ProgressService;
  let adminToken: string;
  let unitAdminToken: string;
  let teacherToken: string;
  let otherTeacherToken: string;
  let secretaryToken: string;
  let unitA: Unit;
  let unitB: Unit;
  let a1: Branch;
  let a2: Branch;
  let b1: Branch;
  let people: Record<string, User>;
  let course: BuiltCourse;

  const activity = (id: string) => t.dataSource.getRepository(Activity).findOneByOrFail({ id });

  async function completeAll(c: BuiltCourse, userId: string, at = new Date(Date.now() - 2 * DAY)) {
    await watchVideo(engine, userId, await activity(c.video.id), 600, at);
    await submitReflection(engine, userId, await activity(c.reading.id), true, at);
    await attemptQuiz(engine, userId, await activity(c.quiz.id), true, at);
    await postInDiscussion(engine, userId, await activity(c.discussion.id), { posts: 2, replies: 1 }, at);
    await recordAttendance(engine, userId, await activity(c.session.id), 'present', at);
  }

  beforeAll(async () => {
    t = await createTestApp();
    engine = t.app.get(ProgressService);
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    adminToken = await t.login(admin.username);
    unitA = await makeUnit(t.dataSource);
    unitB = await makeUnit(t.dataSource);
    a1 = await makeBranch(t.dataSource, unitA, { name: `甲一支部${uniq()}` });
    a2 = await makeBranch(t.dataSource, unitA, { name: `甲二支部${uniq()}` });
    b1 = await makeBranch(t.dataSource, unitB, { name: `乙一支部${uniq()}` });
    unitAdminToken = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitA.id })).username);
    const teacher = await makeUser(t.dataSource, { role: 'instructor' });
    teacherToken = await t.login(teacher.username);
    otherTeacherToken = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);

    // The class: A1 has 张一 (done), 王二 (3 of 5), =李三 (nothing); A2 has 赵四 (done), 钱五 (1 of 5); B1 has 孙六 (done), 周七 (nothing).
    const p = async (key: string, branch: Branch, name: string) => [key, await makeUser(t.dataSource, { branch, name, username: `r${uniq()}` })] as const;
    people = Object.fromEntries([
      await p('zhang', a1, '张一'),
      await p('wang', a1, '王二'),
      await p('li', a1, '=HYPERLINK("http://evil")李三'),
      await p('zhao', a2, '赵四'),
      await p('qian', a2, '钱五'),
      await p('sun', b1, '孙六'),
      await p('zhou', b1, '周七'),
    ]);
    secretaryToken = await t.login(people.zhou.username);
    course = await buildCourse(t, adminToken, {
      requiredCreditHours: 4,
      quiz: { dueAt: new Date(Date.now() - DAY).toISOString() },
      learnerIds: Object.values(people).map((u) => u.id),
    });
    expectStatus(await t.post(`/api/courses/${course.id}/instructors`, { userIds: [teacher.id] }, adminToken), 200, 'add instructor');
    for (const key of ['zhang', 'zhao', 'sun']) await completeAll(course, people[key].id);
    await watchVideo(engine, people.wang.id, await activity(course.video.id), 600);
    await attemptQuiz(engine, people.wang.id, await activity(course.quiz.id), true);
    await postInDiscussion(engine, people.wang.id, await activity(course.discussion.id), { posts: 2, replies: 1 });
    await watchVideo(engine, people.qian.id, await activity(course.video.id), 600);
    await watchVideo(engine, people.li.id, await activity(course.video.id), 100); // started, not done
  });
  afterAll(() => t.close());

  it('answers the completion report with its figures by unit, branch and activity, 学时, trend and progress', async () => {
    // The figures themselves are counted by hand in test/services/reports.service.int-spec.ts.
    const body = expectStatus(await t.get(`/api/reports/courses/${course.id}/completion`, adminToken), 200, 'completion').json();
    expect(body).toMatchObject({ source: 'live', enrolled: 7, completed: 3, rate: 0.4286, overdue: { activities: 1, missing: 3 } });
    expect(body.byUnit.map((u: { unitId: string }) => u.unitId).sort()).toEqual([unitA.id, unitB.id].sort());
    expect(body.byBranch[0]).toEqual({ branchId: expect.any(String), unitId: expect.any(String), name: expect.any(String), unit: expect.any(String), enrolled: expect.any(Number), completed: expect.any(Number), rate: expect.any(Number), progress: { required: expect.any(Number), creditHours: expect.any(Number) } });
    expect(body.byActivity.map((a: { activityId: string }) => a.activityId)).toEqual(course.all.map((a) => a.id));
    expect(body.creditHours[0]).toEqual({ from: expect.any(Number), to: expect.any(Number), learners: expect.any(Number) });
    expect(body.weekly).toHaveLength(5);
    expect(body.progress).toMatchObject({ started: true, requiredTotal: 5, requiredCreditHours: 4, distribution: expect.any(Array), weekly: expect.any(Array) });
    expect(body.overdueByUnit).toHaveLength(2);
  });

  it('answers from the kept figures exactly what aggregating the summaries answers, and recounts them when the course changes', async () => {
    // The week under way ends now: its end differs between two views, and is left out.
    const completion = async (token: string) => {
      const body = expectStatus(await t.get(`/api/reports/courses/${course.id}/completion`, token), 200, 'completion').json();
      delete body.weekly[body.weekly.length - 1].endsAt;
      return body;
    };
    const views = async () => ({
      all: await completion(adminToken),
      unit: await completion(unitAdminToken),
      branches: expectStatus(await t.get(`/api/reports/courses/${course.id}/branches?names=0`, unitAdminToken), 200, 'branches').json(),
    });
    const setBasis = (sql: string) => t.dataSource.query(`UPDATE course_figure_bases SET ${sql} WHERE course_id = ?`, [course.id]);
    await expectFiguresKept(t.dataSource, course.id);
    const kept = await views();
    // The kept figures are what the report reads: a wrong one shows...
    await t.dataSource.query(`UPDATE course_branch_figures SET completed = completed + 1 WHERE course_id = ? AND branch_id = ?`, [course.id, a1.id]);
    expect((await views()).all.completed).toBe(kept.all.completed + 1);
    await t.dataSource.query(`UPDATE course_branch_figures SET completed = completed - 1 WHERE course_id = ? AND branch_id = ?`, [course.id, a1.id]);
    // ...unless they were counted by other settings than the course's now: then the summaries are aggregated, to the same answer.
    await setBasis('required_total = required_total + 1');
    expect(await views()).toEqual(kept);
    await setBasis('required_total = required_total - 1, required_credit_hours = required_credit_hours + 1');
    expect(await views()).toEqual(kept);
    await setBasis('required_credit_hours = required_credit_hours - 1, starts_at = starts_at - INTERVAL 1 DAY');
    expect(await views()).toEqual(kept);
    await setBasis('starts_at = starts_at + INTERVAL 1 DAY');

    // A new required 学时 and a new start recount them (course.changed), with the same answer as the summaries give.
    const startsAt = new Date(new Date(course.startsAt).getTime() - 7 * DAY).toISOString();
    expectStatus(await t.patch(`/api/courses/${course.id}`, { requiredCreditHours: 3, startsAt }, adminToken), 200, 'new minimums');
    const basis = async () => (await t.dataSource.query(`SELECT required_credit_hours AS h FROM course_figure_bases WHERE course_id = ?`, [course.id]))[0].h;
    expect(Number(await eventually(basis, (h) => Number(h) === 3, 5000))).toBe(3);
    await expectFiguresKept(t.dataSource, course.id);
    const recounted = await views();
    await setBasis('required_total = required_total + 1');
    expect(await views()).toEqual(recounted);
    await setBasis('required_total = required_total - 1');
    expect(recounted.all.weekly).toHaveLength(kept.all.weekly.length + 1);
    expect(recounted.all.progress.requiredCreditHours).toBe(3);
    expectStatus(await t.patch(`/api/courses/${course.id}`, { requiredCreditHours: 4, startsAt: course.startsAt }, adminToken), 200, 'minimums back');
    await eventually(basis, (h) => Number(h) === 4, 5000);
    expect(await views()).toEqual(kept);
  });

  it('lists learners a page at a time; bad filters are refused', async () => {
    // Filters, search and sort: test/services/reports.service.int-spec.ts.
    const list = (qs: string, token = adminToken) => t.get(`/api/reports/courses/${course.id}/learners?${qs}`, token);
    const all = expectStatus(await list('sort=name'), 200, 'learners').json();
    expect(all).toMatchObject({ total: 7, page: 1 });
    const wang = all.items.find((r: { userId: string }) => r.userId === people.wang.id);
    expect(wang).toMatchObject({ name: '王二', branch: a1.name, unit: unitA.name, requiredDone: 3, requiredTotal: 5, creditHours: 3, completed: false });
    expect(wang.lastActivityAt).toEqual(expect.any(String));
    const page2 = expectStatus(await list('sort=username&pageSize=3&page=2'), 200, 'page').json();
    expect(page2).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(3);

    for (const bad of ['status=late', 'sort=password', 'order=up', 'unitId=abc', 'pageSize=1000', 'activityId=-1']) {
      expect({ bad, status: (await list(bad)).statusCode }).toEqual({ bad, status: 400 });
    }
    expect((await list('activityId=999999999')).statusCode).toBe(404);
  });

  it('scopes by role: unit admins their unit only, instructors their courses, secretaries never', async () => {
    // What a unit admin's figures hold: test/services/reports.service.int-spec.ts.
    expect(expectStatus(await t.get(`/api/reports/courses/${course.id}/completion`, unitAdminToken), 200, 'unit admin').json()).toMatchObject({ unitId: unitA.id, enrolled: 5 });
    expect(expectStatus(await t.get(`/api/reports/courses/${course.id}/learners`, unitAdminToken), 200, 'unit learners').json().total).toBe(5);

    expect((await t.get(`/api/reports/courses/${course.id}/completion?unitId=${unitB.id}`, unitAdminToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/${course.id}/learners?unitId=${unitB.id}`, unitAdminToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/${course.id}/learners?branchId=${b1.id}`, unitAdminToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/${course.id}/export?table=branches&unitId=${unitB.id}`, unitAdminToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/${course.id}/completion?unitId=999999999`, adminToken)).statusCode).toBe(404);

    expect(expectStatus(await t.get(`/api/reports/courses/${course.id}/completion`, teacherToken), 200, 'teacher').json().enrolled).toBe(7);
    expect((await t.get(`/api/reports/courses/${course.id}/completion`, otherTeacherToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/${course.id}/learners`, secretaryToken)).statusCode).toBe(403);
    expect((await t.get(`/api/reports/courses/999999999/completion`, adminToken)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/courses/abc/completion`, adminToken)).statusCode).toBe(404);
  });

  it("unit view: a unit's branches ranked, with the names of learners behind and the unit's standing", async () => {
    // The ranking itself: test/services/reports.service.int-spec.ts.
    const body = expectStatus(await t.get(`/api/reports/courses/${course.id}/branches`, unitAdminToken), 200, 'branches').json();
    expect(body).toMatchObject({ total: 2, ranked: true, unitStanding: { rank: 2, of: 2, rate: 0.4, overallRate: 0.4286 } });
    expect(body.items[0]).toMatchObject({ branchId: a2.id, rank: 1, behind: [{ name: '钱五' }] });
  });

  it('exports the learners table as CSV with BOM and neutralized formulas, and as XLSX that parses back to the same rows', async () => {
    const csv = await t.get(`/api/reports/courses/${course.id}/export?format=csv&sort=username`, adminToken);
    const lines = csvDownloadLines(csv);
    expect(lines[0]).toBe('工号,姓名,单位,支部,已完成必修,必修总数,学时,补学项数,完成情况,结业时间,最近学习时间');
    expect(lines).toHaveLength(8);
    expect(lines.find((l) => l.includes('李三'))).toContain(`"'=HYPERLINK(""http://evil"")李三"`);
    // 王二 passed the quiz a day after its due date: one 补学 item.
    expect(lines.find((l) => l.includes('王二'))).toContain(`,${a1.name},3,5,3,1,未完成,`);
    expect(lines.filter((l) => l.includes(',已完成,'))).toHaveLength(3);

    const xlsx = await t.get(`/api/reports/courses/${course.id}/export?format=xlsx&sort=username`, adminToken);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBe(14);
    const cells: string[][] = [];
    sheet.eachRow((row) => cells.push(Array.from({ length: 11 }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
    const { parse } = await import('csv-parse/sync');
    const fromCsv: string[][] = parse(csv.body.slice(1), { relax_column_count: true });
    expect(cells).toEqual(fromCsv);

    const units = await t.get(`/api/reports/courses/${course.id}/export?table=units`, adminToken);
    const unitLines = units.body.slice(1).trimEnd().split('\r\n');
    expect(unitLines[0]).toBe('单位,报名人数,已完成人数,完成率');
    expect(unitLines).toContain(`${unitA.name},5,2,40.0%`);
    const branchesXlsx = await t.get(`/api/reports/courses/${course.id}/export?table=branches&format=xlsx`, unitAdminToken);
    const bw = new ExcelJS.Workbook();
    await bw.xlsx.load(branchesXlsx.rawPayload as unknown as ArrayBuffer);
    expect(bw.worksheets[0].getRow(1).values).toEqual([undefined, '单位', '支部', '报名人数', '已完成人数', '完成率']);
    expect(bw.worksheets[0].rowCount).toBe(3);

    expect((await t.get(`/api/reports/courses/${course.id}/export?format=pdf`, adminToken)).statusCode).toBe(400);
    expect((await t.get(`/api/reports/courses/${course.id}/export?table=everything`, adminToken)).statusCode).toBe(400);
  });

  it('after closing, every figure comes from the frozen snapshot', async () => {
    const c = await buildCourse(t, adminToken, { learnerIds: [people.zhang.id, people.wang.id, people.sun.id] });
    await completeAll(c, people.zhang.id);
    await watchVideo(engine, people.wang.id, await activity(c.video.id), 600);
    const live = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'live').json();
    expectStatus(await t.post(`/api/courses/${c.id}/close`, {}, adminToken), 200, 'close');
    // The live tables change afterwards (a rebuild, a repair): the closed course's report does not.
    await t.dataSource.query(`UPDATE course_progress SET completed = 1, required_done = 5, credit_hours = 99 WHERE course_id = ?`, [c.id]);
    await t.dataSource.query(`UPDATE activity_done_counts SET done = done + 10 WHERE course_id = ?`, [c.id]);
    const frozen = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'frozen').json();
    expect(frozen.source).toBe('snapshot');
    expect(frozen).toMatchObject({ enrolled: 3, completed: 1, byUnit: live.byUnit, byBranch: live.byBranch, byActivity: live.byActivity, creditHours: live.creditHours });
    const learners = expectStatus(await t.get(`/api/reports/courses/${c.id}/learners?status=completed`, adminToken), 200, 'frozen learners').json();
    expect(learners.items.map((r: { userId: string }) => r.userId)).toEqual([people.zhang.id]);
  });

  it('withdrawals and moves reach the report at once; moves made outside the app with progress:rebuild', async () => {
    const c = await buildCourse(t, adminToken, { learnerIds: [people.zhang.id, people.wang.id, people.sun.id] });
    await completeAll(c, people.sun.id);
    const before = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'before').json();
    expect(before).toMatchObject({ enrolled: 3, completed: 1 });
    expectStatus(await t.delete(`/api/courses/${c.id}/enrollments/${people.wang.id}`, adminToken), 204, 'withdraw');
    // A withdrawal through the API reaches the report at once.
    expect(expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'withdrawn').json()).toMatchObject({ enrolled: 2, completed: 1 });
    const byBranch = async () => {
      const body = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'completion').json();
      expect(body).toMatchObject({ enrolled: 3, completed: 1 });
      await expectFiguresKept(t.dataSource, c.id);
      return Object.fromEntries(body.byBranch.map((b: { branchId: string }) => [b.branchId, b]));
    };
    const moved = await makeUser(t.dataSource, { branch: a1 });
    await enrol(t, adminToken, c.id, [moved.id]);
    expect((await byBranch())[a1.id]).toMatchObject({ enrolled: 2, completed: 0 });

    // A move through the app reaches the report at once, with no job in between.
    expectStatus(await t.patch(`/api/users/${moved.id}`, { branchId: b1.id }, adminToken), 200, 'move');
    expect((await byBranch())[a1.id]).toMatchObject({ enrolled: 1, completed: 0 });
    expect((await byBranch())[b1.id]).toMatchObject({ enrolled: 2, completed: 1 });

    // A move written straight into the database (as another tool might) is copied by progress:rebuild.
    await t.dataSource.query(`UPDATE users SET branch_id = ?, unit_id = ? WHERE id = ?`, [a1.id, unitA.id, moved.id]);
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
    expect((await byBranch())[a1.id]).toMatchObject({ enrolled: 2, completed: 0 });
    expect((await byBranch())[b1.id]).toMatchObject({ enrolled: 1, completed: 1 });
  });

  it('per-activity counts follow withdrawals, returns and moves at once, and a rebuild finds the same counters', async () => {
    const mover = await makeUser(t.dataSource, { branch: a1 });
    const c = await buildCourse(t, adminToken, { learnerIds: [people.zhang.id, people.sun.id, mover.id] });
    await completeAll(c, people.zhang.id);
    await completeAll(c, mover.id);
    // 孙六 has not finished the video: the counts stay below the enrolment, so no clamp can hide a wrong one.
    await attemptQuiz(engine, people.sun.id, await activity(c.quiz.id), true);
    const videoDone = async (token = adminToken) => {
      const body = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, token), 200, 'completion').json();
      await expectFiguresKept(t.dataSource, c.id);
      return body.byActivity.find((a: { activityId: string }) => a.activityId === c.video.id).done as number;
    };
    const counters = async () => [
      await t.dataSource.query(`SELECT activity_id, unit_id, slot, done FROM activity_done_counts WHERE course_id = ? AND done <> 0 ORDER BY activity_id, unit_id, slot`, [c.id]),
      await t.dataSource.query(`SELECT unit_id, week_start, slot, done FROM required_done_weeks WHERE course_id = ? AND done <> 0 ORDER BY unit_id, week_start, slot`, [c.id]),
    ];
    const weeksByUnit = async () =>
      Object.fromEntries(
        ((await t.dataSource.query(`SELECT unit_id, SUM(done) AS done FROM required_done_weeks WHERE course_id = ? GROUP BY unit_id`, [c.id])) as { unit_id: string; done: string }[])
          .map((r) => [String(r.unit_id), Number(r.done)]),
      );
    const byUnit = async () =>
      Object.fromEntries(
        ((await t.dataSource.query(`SELECT unit_id, SUM(done) AS done FROM activity_done_counts WHERE course_id = ? AND activity_id = ? GROUP BY unit_id`, [c.id, c.video.id])) as { unit_id: string; done: string }[])
          .map((r) => [String(r.unit_id), Number(r.done)]),
      );
    expect([await videoDone(), await videoDone(unitAdminToken)]).toEqual([2, 2]);

    // A withdrawn learner's completions leave the counts at once; naming them again brings them back.
    expect(await weeksByUnit()).toMatchObject({ [unitA.id]: 10, [unitB.id]: 1 });
    expectStatus(await t.delete(`/api/courses/${c.id}/enrollments/${mover.id}`, adminToken), 204, 'withdraw');
    expect([await videoDone(), await videoDone(unitAdminToken)]).toEqual([1, 1]);
    expect(await weeksByUnit()).toMatchObject({ [unitA.id]: 5, [unitB.id]: 1 });
    await enrol(t, adminToken, c.id, [mover.id]);
    expect([await videoDone(), await videoDone(unitAdminToken)]).toEqual([2, 2]);

    // A move to another unit through the app moves them too.
    expectStatus(await t.patch(`/api/users/${mover.id}`, { branchId: b1.id }, adminToken), 200, 'move');
    expect([await videoDone(), await videoDone(unitAdminToken)]).toEqual([2, 1]);
    expect(await byUnit()).toMatchObject({ [unitA.id]: 1, [unitB.id]: 1 });
    // The weekly required completions move with them: 张一's five stay in A, the mover's five go to B with 孙六's quiz.
    expect(await weeksByUnit()).toMatchObject({ [unitA.id]: 5, [unitB.id]: 6 });
    const kept = await counters();
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
    expect(await counters()).toEqual(kept);

    // A move written straight into the database is copied by progress:rebuild, which moves the counts with it.
    await t.dataSource.query(`UPDATE users SET branch_id = ?, unit_id = ? WHERE id = ?`, [b1.id, unitB.id, people.zhang.id]);
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
    const moved = await byUnit();
    expect([moved[unitA.id] ?? 0, moved[unitB.id]]).toEqual([0, 2]);
    const rebuilt = await counters();
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
    expect(await counters()).toEqual(rebuilt);
    await t.dataSource.query(`UPDATE users SET branch_id = ?, unit_id = ? WHERE id = ?`, [a1.id, unitA.id, people.zhang.id]);
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
  });

  it("overdue learners follow completions, reopenings, due dates, archiving, new activities, enrolment and closing", async () => {
    // The report counts a learner overdue from their stored first missed due date (course_progress): each step
    // checks the count through the API and the stored dates against the same dates worked out from the states.
    const [x, y, z, late] = [await makeUser(t.dataSource, { branch: a1 }), await makeUser(t.dataSource, { branch: a2 }), await makeUser(t.dataSource, { branch: b1 }), await makeUser(t.dataSource, { branch: b1 })];
    const yesterday = new Date(Date.now() - DAY).toISOString();
    const c = await buildCourse(t, adminToken, { quiz: { dueAt: yesterday }, learnerIds: [x.id, y.id, z.id] });
    const overdue = async (): Promise<Record<string, number>> => {
      const body = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'completion').json();
      const stored = await t.dataSource.query(`SELECT user_id, first_missing_due_at AS due FROM course_progress WHERE course_id = ? ORDER BY user_id`, [c.id]);
      const scratch = await t.dataSource.query(
        `SELECT cp.user_id, (SELECT MIN(a.due_at) FROM activities a
                              WHERE a.course_id = cp.course_id AND a.required = 1 AND a.archived_at IS NULL AND a.due_at IS NOT NULL
                                AND NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = a.id AND ap.user_id = cp.user_id AND ap.state = 'completed')) AS due
           FROM course_progress cp WHERE cp.course_id = ? ORDER BY cp.user_id`,
        [c.id],
      );
      expect(stored).toEqual(scratch);
      await expectFiguresKept(t.dataSource, c.id);
      return Object.fromEntries(body.overdueByUnit.map((u: { unitId: string; learnersOverdue: number }) => [u.unitId, u.learnersOverdue]));
    };
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });

    // Completing the past-due quiz takes x off; a session due yesterday puts x back until attended, and an
    // attendance corrected to absent reopens it.
    await attemptQuiz(engine, x.id, await activity(c.quiz.id), true);
    expect(await overdue()).toEqual({ [unitA.id]: 1, [unitB.id]: 1 });
    expectStatus(await t.patch(`/api/activities/${c.session.id}`, { dueAt: yesterday }, adminToken), 200, 'session due yesterday');
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });
    await recordAttendance(engine, x.id, await activity(c.session.id), 'present');
    expect(await overdue()).toEqual({ [unitA.id]: 1, [unitB.id]: 1 });
    await recordAttendance(engine, x.id, await activity(c.session.id), 'absent');
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });

    // Due dates moved later, or the activity archived or made elective: nobody is overdue on it any more.
    const nextWeek = new Date(Date.now() + 7 * DAY).toISOString();
    expectStatus(await t.patch(`/api/activities/${c.quiz.id}`, { dueAt: nextWeek }, adminToken), 200, 'quiz due next week');
    expectStatus(await t.post(`/api/activities/${c.session.id}/archive`, {}, adminToken), 200, 'archive session');
    expect(await overdue()).toEqual({ [unitA.id]: 0, [unitB.id]: 0 });
    expectStatus(await t.post(`/api/activities/${c.session.id}/unarchive`, {}, adminToken), 200, 'unarchive session');
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });
    expectStatus(await t.patch(`/api/activities/${c.session.id}`, { required: false }, adminToken), 200, 'session elective');
    expect(await overdue()).toEqual({ [unitA.id]: 0, [unitB.id]: 0 });

    // A new required activity already past due, and a learner enrolled afterwards: both count at once.
    const added = expectStatus(
      await t.post(`/api/courses/${c.id}/activities`, { sectionId: c.sectionId, ...activityBody('discussion', c, { dueAt: yesterday }) }, adminToken),
      201,
      'POST discussion due yesterday',
    ).json();
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });
    await enrol(t, adminToken, c.id, [late.id]);
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 2 });
    await postInDiscussion(engine, z.id, await activity(added.id), { posts: 2, replies: 1 });
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });

    // The rebuild finds the same dates; closing freezes them, and the snapshot counts as of the closing.
    await t.dataSource.query(`UPDATE course_progress SET first_missing_due_at = NULL WHERE course_id = ?`, [c.id]);
    await t.app.get(ProgressPlanService).rebuildCourse(c.id);
    expect(await overdue()).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });
    expectStatus(await t.post(`/api/courses/${c.id}/close`, {}, adminToken), 200, 'close');
    await t.dataSource.query(`UPDATE course_progress SET first_missing_due_at = NULL WHERE course_id = ?`, [c.id]);
    const frozen = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'frozen').json();
    expect(frozen.source).toBe('snapshot');
    expect(Object.fromEntries(frozen.overdueByUnit.map((u: { unitId: string; learnersOverdue: number }) => [u.unitId, u.learnersOverdue]))).toEqual({ [unitA.id]: 2, [unitB.id]: 1 });
  });

  it('learners enrolled while the course is a draft get their standing from the plan it is published with', async () => {
    const [x, y] = [await makeUser(t.dataSource, { branch: a1 }), await makeUser(t.dataSource, { branch: b1 })];
    const c = await buildCourse(t, adminToken, { publish: false, learnerIds: [x.id, y.id] });
    expectStatus(
      await t.post(`/api/courses/${c.id}/activities`, { sectionId: c.sectionId, ...activityBody('discussion', c, { dueAt: new Date(Date.now() - DAY).toISOString() }) }, adminToken),
      201,
      'POST discussion in draft',
    );
    await t.dataSource.getRepository(VideoFile).insert({
      activityId: c.video.id,
      storageKey: `videos/${c.video.id}/stand-in.mp4`,
      mimeType: 'video/mp4',
      sizeBytes: 0,
      durationSeconds: 600,
      originalName: 'stand-in.mp4',
      uploadedBy: null,
    });
    expectStatus(await t.post(`/api/courses/${c.id}/publish`, {}, adminToken), 200, 'publish');
    const body = expectStatus(await t.get(`/api/reports/courses/${c.id}/completion`, adminToken), 200, 'completion').json();
    expect(body.progress.requiredTotal).toBe(6);
    expect(body.overdueByUnit.map((u: { learnersOverdue: number }) => u.learnersOverdue)).toEqual([1, 1]);
    const rows = await t.dataSource.query(`SELECT required_total FROM course_progress WHERE course_id = ?`, [c.id]);
    expect(rows.map((r: { required_total: number }) => r.required_total)).toEqual([6, 6]);
  });

  it('makes the same number of SQL queries for 10 and for 200 learners', async () => {
    const unit = await makeUnit(t.dataSource);
    const branches = [await makeBranch(t.dataSource, unit), await makeBranch(t.dataSource, unit)];
    const hash = (await t.dataSource.query(`SELECT password_hash FROM users WHERE id = ?`, [people.zhang.id]))[0].password_hash;
    async function classOf(n: number): Promise<BuiltCourse> {
      const tag = uniq();
      const rows = Array.from({ length: n }, (_, i) => [`q${tag}${i}`, `学员${i}`, 'secretary', branches[i % 2].id, unit.id, hash]);
      await t.dataSource.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ?`, [rows]);
      const ids = (await t.dataSource.query(`SELECT id FROM users WHERE username LIKE ?`, [`q${tag}%`])).map((r: { id: string }) => String(r.id));
      const c = await buildCourse(t, adminToken);
      await enrol(t, adminToken, c.id, ids);
      for (const id of ids.slice(0, 5)) await completeAll(c, id);
      await watchVideo(engine, ids[6], await activity(c.video.id), 600);
      return c;
    }
    const count = async (url: string): Promise<number> => {
      const logger = t.dataSource.logger;
      let queries = 0;
      Object.assign(t.dataSource, { logger: { ...pick(logger), logQuery: () => void (queries += 1) } });
      try {
        expectStatus(await t.get(url, adminToken), 200, url);
      } finally {
        Object.assign(t.dataSource, { logger });
      }
      return queries;
    };
    const small = await classOf(10);
    const large = await classOf(200);
    for (const path of ['completion', 'learners?status=behind', `branches`, 'export?format=xlsx']) {
      const a = await count(`/api/reports/courses/${small.id}/${path}`);
      const b = await count(`/api/reports/courses/${large.id}/${path}`);
      expect({ path, queries: a }).toEqual({ path, queries: b });
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThanOrEqual(9); // the course and access, the kept figures' basis, then the figures side by side
    }
    const [n] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM course_progress WHERE course_id = ?`, [large.id]);
    expect(Number(n.n)).toBe(200);
  });
});

/** The logger's methods bound to it, so the stand-in keeps logging errors as before. */
function pick(logger: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['logQueryError', 'logQuerySlow', 'logSchemaBuild', 'logMigration', 'log']) {
    const fn = (logger as Record<string, unknown>)[key];
    if (typeof fn === 'function') out[key] = fn.bind(logger);
  }
  return out;
}
