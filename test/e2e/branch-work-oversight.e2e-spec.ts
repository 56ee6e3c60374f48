import ExcelJS from 'exceljs';
import { NormsService, type NormSet } from '../../src/norms/norms.service';
import type { Branch } from '../../src/org/branch.entity';
import type { Unit } from '../../src/org/unit.entity';
import type { User } from '../../src/users/user.entity';
import { beijingTime, beijingYearOf, makePlan, makeRecord } from '../factories/branch-work.factory';
import { expectStatus } from '../factories/course.factory';
import { makeMembers } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

interface Figures {
  normId: string;
  required: number;
  accepted: number;
  overdue: number;
}
interface BranchRow {
  branchId: string;
  name: string;
  unitId: string;
  norms: Figures[];
  required: number;
  accepted: number;
  overdue: number;
  waitingReview: number;
}
interface Report {
  year: number;
  unitId: string | null;
  norms: { normId: string; kind: string }[];
  branches: BranchRow[];
  byUnit: { unitId: string; branches: number; branchesBehind: number; required: number; accepted: number; overdue: number; waitingReview: number }[];
  total: number;
  page: number;
  pageSize: number;
}

describe('branch-work oversight: compliance per branch × norm, by unit, drill-down, export (e2e)', () => {
  let t: TestApp;
  let dept: string;
  let unitAdminA: string;
  let secretaryA1: string;
  let unitA: Unit;
  let unitB: Unit;
  let a1: Branch;
  let a2: Branch;
  let b1: Branch;
  let writer: User;
  const now = new Date();
  const thisYear = beijingYearOf(now);
  const lastYear = thisYear - 1;
  /** Beijing month today: monthly norms have begun this many times this year; one fewer is over. */
  const month = new Date(now.getTime() + 8 * 3600 * 1000).getUTCMonth() + 1;
  let lastYearNorms: NormSet;
  let thisYearNorms: NormSet;

  const report = async (query: string, token = dept): Promise<Report> => expectStatus(await t.get(`/api/reports/branch-work${query}`, token), 200, query).json();
  const normOf = (set: NormSet, kind: string) => set.items.find((n) => n.kind === kind)!;
  const figures = (row: BranchRow, normId: string) => row.norms.find((f) => f.normId === normId);

  beforeAll(async () => {
    t = await createTestApp();
    const deptAdmin = await makeUser(t.dataSource, { role: 'admin' });
    dept = await t.login(deptAdmin.username);
    unitA = await makeUnit(t.dataSource);
    unitB = await makeUnit(t.dataSource);
    a1 = await makeBranch(t.dataSource, unitA, { name: `甲一教工支部${uniq()}`, kind: 'staff' });
    a2 = await makeBranch(t.dataSource, unitA, { name: `甲二学生支部${uniq()}`, kind: 'student' });
    b1 = await makeBranch(t.dataSource, unitB, { name: `乙一教工支部${uniq()}`, kind: 'staff' });
    unitAdminA = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitA.id })).username);
    writer = await makeUser(t.dataSource, { branch: a1 });
    secretaryA1 = await t.login(writer.username);

    // Last year is judged by its own norms: a monthly theme day for every branch, a quarterly study for student
    // branches only, two members' meetings a year for staff branches only.
    // This year first: a year without norms starts from the closest earlier year's, here the shipped set.
    thisYearNorms = await t.app.get(NormsService).forYear(thisYear);
    lastYearNorms = await t.app.get(NormsService).replace(
      lastYear,
      [
        { kind: 'theme_day', name: '主题党日', minCount: 1, per: 'month', branchKinds: ['staff', 'student'], requires: ['minutes'] },
        { kind: 'study_session', name: '集中学习', minCount: 1, per: 'quarter', branchKinds: ['student'], requires: ['minutes'] },
        { kind: 'members_meeting', name: '支部党员大会', minCount: 2, per: 'year', branchKinds: ['staff'], requires: ['minutes'] },
      ],
      deptAdmin.id,
    );

    const by = { createdBy: writer.id };
    // Last year: a1 held 3 accepted theme days and 2 members' meetings (one only submitted); a2 one study.
    for (const m of [1, 2, 3]) await makeRecord(t.dataSource, a1, { ...by, kind: 'theme_day', heldAt: beijingTime(lastYear, m, 10), status: 'accepted' });
    await makeRecord(t.dataSource, a1, { ...by, kind: 'members_meeting', heldAt: beijingTime(lastYear, 6, 1), status: 'accepted' });
    await makeRecord(t.dataSource, a1, { ...by, kind: 'members_meeting', heldAt: beijingTime(lastYear, 12, 1), status: 'submitted' });
    await makeRecord(t.dataSource, a2, { ...by, kind: 'study_session', heldAt: beijingTime(lastYear, 4, 1), status: 'accepted' });
    // Held on 1 January at 07:00 Beijing time (still 31 December in UTC): counts in this year, not last year.
    await makeRecord(t.dataSource, a1, { ...by, kind: 'theme_day', heldAt: beijingTime(thisYear, 1, 1, 7), status: 'accepted', title: '新年第一个主题党日' });
    // This year: one more accepted theme day, one waiting, a draft and a returned one (neither counts).
    await makeRecord(t.dataSource, a1, { ...by, kind: 'theme_day', heldAt: beijingTime(thisYear, 1, 20), status: 'accepted' });
    await makeRecord(t.dataSource, a1, { ...by, kind: 'committee_meeting', heldAt: beijingTime(thisYear, 1, 21), status: 'submitted' });
    await makeRecord(t.dataSource, a1, { ...by, kind: 'committee_meeting', heldAt: beijingTime(thisYear, 1, 22), status: 'draft' });
    await makeRecord(t.dataSource, a1, { ...by, kind: 'group_meeting', heldAt: beijingTime(thisYear, 1, 23), status: 'returned' });
    await makeRecord(t.dataSource, b1, { ...by, kind: 'members_meeting', heldAt: beijingTime(thisYear, 1, 5), status: 'accepted' });
    // A plan does not change what the norms require: an approved plan with its own topic is not a norm.
    await makePlan(t.dataSource, a1, thisYear, [{ month: 1, kind: 'own', title: '学习新修订的条例' }]);
  });
  afterAll(() => t.close());

  it('a past year: the whole year required by that year’s norms, only the norms of each branch’s kind', async () => {
    const body = await report(`?year=${lastYear}&unitId=${unitA.id}&sort=name&pageSize=100`);
    expect(body).toMatchObject({ year: lastYear, unitId: unitA.id, total: 2, page: 1, pageSize: 100 });
    expect(body.norms.map((n) => n.kind)).toEqual(['theme_day', 'study_session', 'members_meeting']);
    const theme = normOf(lastYearNorms, 'theme_day').id;
    const study = normOf(lastYearNorms, 'study_session').id;
    const meeting = normOf(lastYearNorms, 'members_meeting').id;
    const [first, second] = body.branches;
    expect([first.branchId, second.branchId].sort()).toEqual([a1.id, a2.id].sort());
    const row1 = body.branches.find((b) => b.branchId === a1.id)!;
    const row2 = body.branches.find((b) => b.branchId === a2.id)!;
    expect(row1.norms).toEqual([
      { normId: theme, required: 12, accepted: 3, overdue: 9 },
      { normId: meeting, required: 2, accepted: 1, overdue: 1 },
    ]);
    expect(row1).toMatchObject({ required: 14, accepted: 4, overdue: 10, waitingReview: 1, unitId: unitA.id, name: a1.name });
    expect(row2.norms).toEqual([
      { normId: theme, required: 12, accepted: 0, overdue: 12 },
      { normId: study, required: 4, accepted: 1, overdue: 3 },
    ]);
    expect(row2).toMatchObject({ required: 16, accepted: 1, overdue: 15, waitingReview: 0 });
    expect(body.byUnit).toEqual([
      { unitId: unitA.id, name: unitA.name, branches: 2, branchesBehind: 2, required: 30, accepted: 5, overdue: 25, waitingReview: 1 },
    ]);
  });

  it('this year: required by the periods begun so far (Beijing time), overdue only for the periods that are over', async () => {
    const body = await report(`?unitId=${unitA.id}`);
    expect(body.year).toBe(thisYear);
    const row1 = body.branches.find((b) => b.branchId === a1.id)!;
    const theme = figures(row1, normOf(thisYearNorms, 'theme_day').id)!;
    // Two accepted theme days this year (the one at 07:00 on 1 January Beijing time included); draft, returned
    // and submitted records count for nothing but the review queue.
    expect(theme).toEqual({ normId: normOf(thisYearNorms, 'theme_day').id, required: month, accepted: 2, overdue: Math.max(0, month - 1 - 2) });
    const committee = figures(row1, normOf(thisYearNorms, 'committee_meeting').id)!;
    expect(committee).toMatchObject({ required: month, accepted: 0, overdue: month - 1 });
    const yearly = figures(row1, normOf(thisYearNorms, 'life_meeting').id)!;
    expect(yearly).toMatchObject({ required: 1, accepted: 0, overdue: 0 }); // the year is not over yet
    const quarterly = figures(row1, normOf(thisYearNorms, 'members_meeting').id)!;
    expect(quarterly).toMatchObject({ required: Math.ceil(month / 3), accepted: 0, overdue: Math.floor((month - 1) / 3) });
    expect(row1.waitingReview).toBe(1);
    expect(row1.norms).toHaveLength(thisYearNorms.items.filter((n) => n.branchKinds.includes('staff')).length);
    // Most overdue first, ties in the order of unit and name.
    const byName = (await report(`?unitId=${unitA.id}&sort=name`)).branches;
    expect(body.branches.map((b) => b.branchId)).toEqual([...byName].sort((x, y) => y.overdue - x.overdue).map((b) => b.branchId));
    const row2 = body.branches.find((b) => b.branchId === a2.id)!;
    expect(row2.overdue - row1.overdue).toBe(Math.max(0, month - 1) - Math.max(0, month - 1 - 2));
    const unitRow = body.byUnit[0];
    expect(unitRow).toMatchObject({ unitId: unitA.id, branches: 2, waitingReview: 1, accepted: 2 });
    expect(unitRow.overdue).toBe(body.branches.reduce((n, b) => n + b.overdue, 0));
  });

  it('the department sees every unit; a unit admin only their own, another unit is a 404; secretaries are refused', async () => {
    const all = await report(`?pageSize=100&sort=name`);
    expect(all.unitId).toBeNull();
    expect(all.byUnit.map((u) => u.unitId)).toEqual(expect.arrayContaining([unitA.id, unitB.id]));
    expect(all.byUnit.find((u) => u.unitId === unitB.id)).toMatchObject({ branches: 1, accepted: 1 });

    const own = await report('', unitAdminA);
    expect(own.unitId).toBe(unitA.id);
    expect(own.byUnit.map((u) => u.unitId)).toEqual([unitA.id]);
    expect(own.branches.map((b) => b.branchId).sort()).toEqual([a1.id, a2.id].sort());
    expect((await report(`?unitId=${unitA.id}`, unitAdminA)).total).toBe(2);

    const outside = await t.get(`/api/reports/branch-work?unitId=${unitB.id}`, unitAdminA);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('UNIT_NOT_FOUND');
    expect((await t.get('/api/reports/branch-work?unitId=999999999', dept)).json()).toMatchObject({ statusCode: 404, code: 'UNIT_NOT_FOUND' });
    expect((await t.get('/api/reports/branch-work', secretaryA1)).statusCode).toBe(403);
    expect((await t.get('/api/reports/branch-work')).statusCode).toBe(401);
  });

  it('filters the branches behind, pages them, and keeps the by-unit rollup whole', async () => {
    const page = await report(`?unitId=${unitA.id}&year=${lastYear}&pageSize=1&page=2&sort=name`);
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page.branches).toHaveLength(1);
    expect(page.byUnit[0].branches).toBe(2);
    const firstPage = await report(`?unitId=${unitA.id}&year=${lastYear}&pageSize=1&sort=name`);
    expect(firstPage.branches[0].branchId).not.toBe(page.branches[0].branchId);

    // A future year requires nothing yet: no branch is behind.
    const future = await report(`?unitId=${unitA.id}&year=${thisYear + 1}&behind=true`);
    expect(future).toMatchObject({ total: 0, branches: [] });
    expect(future.byUnit).toEqual([{ unitId: unitA.id, name: unitA.name, branches: 2, branchesBehind: 0, required: 0, accepted: 0, overdue: 0, waitingReview: 0 }]);
    const behindLastYear = await report(`?unitId=${unitA.id}&year=${lastYear}&behind=true`);
    expect(behindLastYear.total).toBe(2);
  });

  it('follows records written through the app in the same transaction, also two accepted at the same moment', async () => {
    const branch = await makeBranch(t.dataSource, unitB, { name: `乙二教工支部${uniq()}`, kind: 'staff' });
    const secretary = await t.login((await makeUser(t.dataSource, { branch })).username);
    const [member] = await makeMembers(t.dataSource, branch, [{ name: '周到会' }]);
    const committee = normOf(thisYearNorms, 'committee_meeting');
    const rowOf = async () => (await report(`?unitId=${unitB.id}`)).branches.find((b) => b.branchId === branch.id)!;
    const ids: string[] = [];
    for (const day of [10, 11]) {
      const body = { kind: 'committee_meeting', title: `支委会${day}`, heldAt: beijingTime(thisYear, 1, day, 15).toISOString(), place: '会议室', attendance: { present: [member.id], absent: [] }, minutes: '研究近期工作。' };
      const id = expectStatus(await t.post(`/api/branches/${branch.id}/records`, body, secretary), 201, 'record').json().id as string;
      expectStatus(await t.post(`/api/records/${id}/submit`, {}, secretary), 200, 'submit');
      ids.push(id);
    }
    expect(await rowOf()).toMatchObject({ waitingReview: 2, accepted: 0 });
    const reviews = await Promise.all(ids.map((id) => t.post(`/api/records/${id}/review`, { decision: 'accept' }, dept)));
    expect(reviews.map((r) => r.statusCode)).toEqual([200, 200]);
    const row = await rowOf();
    expect(row).toMatchObject({ waitingReview: 0, accepted: 2 });
    expect(figures(row, committee.id)).toMatchObject({ accepted: 2 });
  });

  it('drills down to a branch: its figures and every record of the year, of its unit only', async () => {
    const detail = expectStatus(await t.get(`/api/reports/branch-work/branches/${a1.id}?year=${thisYear}`, unitAdminA), 200, 'detail').json();
    expect(detail).toMatchObject({ year: thisYear, unitId: unitA.id, branch: { branchId: a1.id, waitingReview: 1 } });
    expect(detail.records.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'submitted', 'draft', 'returned']);
    expect(detail.records[0]).toMatchObject({ title: '新年第一个主题党日', kind: 'theme_day', heldAt: beijingTime(thisYear, 1, 1, 7).toISOString() });
    const overview = (await report(`?unitId=${unitA.id}`)).branches.find((b) => b.branchId === a1.id);
    expect(detail.branch).toEqual({ ...overview, kind: 'staff', unit: unitA.name });

    const past = expectStatus(await t.get(`/api/reports/branch-work/branches/${a1.id}?year=${lastYear}`, dept), 200, 'past').json();
    expect(past.records).toHaveLength(5);
    expect(past.norms.map((n: { kind: string }) => n.kind)).toEqual(['theme_day', 'study_session', 'members_meeting']);

    expect((await t.get(`/api/reports/branch-work/branches/${b1.id}`, unitAdminA)).json()).toMatchObject({ statusCode: 404, code: 'BRANCH_NOT_FOUND' });
    expect((await t.get(`/api/reports/branch-work/branches/${b1.id}`, dept)).statusCode).toBe(200);
    expect((await t.get(`/api/reports/branch-work/branches/999999999`, dept)).statusCode).toBe(404);
    expect((await t.get(`/api/reports/branch-work/branches/${a1.id}`, secretaryA1)).statusCode).toBe(403);
  });

  it('exports the table as XLSX that a real reader opens: a row per branch, three columns per norm', async () => {
    const response = await t.get(`/api/reports/branch-work/export?year=${lastYear}&unitId=${unitA.id}&sort=name`, unitAdminA);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(response.headers['content-disposition'])).toContain(encodeURIComponent(`支部工作落实情况-${lastYear}.xlsx`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe(`${lastYear}年支部工作落实情况`);
    expect(sheet.getRow(1).values).toEqual([
      undefined, '单位', '支部', '支部类别',
      '主题党日·应开展', '主题党日·已通过', '主题党日·逾期',
      '集中学习·应开展', '集中学习·已通过', '集中学习·逾期',
      '支部党员大会·应开展', '支部党员大会·已通过', '支部党员大会·逾期',
      '应开展合计', '已通过合计', '逾期合计', '待审核',
    ]);
    expect(sheet.rowCount).toBe(3);
    const rows = [sheet.getRow(2).values, sheet.getRow(3).values] as unknown[][];
    const staffRow = rows.find((r) => r[2] === a1.name)!;
    // exceljs leaves empty cells out (undefined): the study norm does not apply to a staff branch.
    expect(staffRow.slice(1)).toEqual([unitA.name, a1.name, '教职工党支部', 12, 3, 9, undefined, undefined, undefined, 2, 1, 1, 14, 4, 10, 1]);
    const studentRow = rows.find((r) => r[2] === a2.name)!;
    expect(studentRow.slice(1, 10)).toEqual([unitA.name, a2.name, '学生党支部', 12, 0, 12, 4, 1, 3]);

    expect((await t.get(`/api/reports/branch-work/export?unitId=${unitB.id}`, unitAdminA)).statusCode).toBe(404);
  });

  it('answers bad input with 400 and a Chinese message naming the field', async () => {
    for (const query of ['?year=abc', '?year=1999', '?year=2101', '?unitId=x', '?behind=yes', '?sort=worst', '?pageSize=1000', '?page=0']) {
      const response = await t.get(`/api/reports/branch-work${query}`, dept);
      expect([query, response.statusCode]).toEqual([query, 400]);
      const message = [response.json().message].flat().join('；');
      expect(message).toMatch(/[\u4e00-\u9fa5]/);
      expect(message).not.toContain('该项');
    }
    expect((await t.get('/api/reports/branch-work/branches/abc', dept)).statusCode).toBe(404); // no id can be "abc"
    expect((await t.get(`/api/reports/branch-work/branches/${a1.id}?year=20x6`, dept)).statusCode).toBe(400);
    expect((await t.get('/api/reports/branch-work/export?year=0', dept)).statusCode).toBe(400);
  });
});
