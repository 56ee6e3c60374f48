import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { EventBus } from '../../src/events/event-bus';
import { beijingDay } from '../../src/norms/beijing-calendar';
import { shippedNorms } from '../../src/norms/norm-set';
import type { Branch } from '../../src/org/branch.entity';
import { pdfText } from '../factories/certificate.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

interface PlanItem {
  id: string | null;
  month: number;
  kind: string;
  title: string;
  normId: string | null;
  state: string;
  recordIds: string[];
}

/**
 * The branch's norms (一规), member list and annual plan (一表) through HTTP: who may read and change each,
 * what a plan starts as, how it is saved, submitted, returned and approved, how its items follow the
 * handbook's records, and the printed plan read back with a real XLSX reader and pdftotext.
 */
describe('branch work: norms, members and annual plans (e2e)', () => {
  let t: TestApp;
  let tokens: Record<'department' | 'unitAdmin' | 'otherUnitAdmin' | 'secretary' | 'otherSecretary' | 'instructor', string>;
  let branch: Branch;
  let studentBranch: Branch;
  // Saving a year's norms makes them where every later year nobody set starts from: this file saves norms only
  // for 2090 and later, reads untouched years before that, and removes the norms it made when it ends, so the
  // files after it find every year as nobody set it. Plans are per branch: fresh branches keep cases apart.
  const thisYear = beijingDay().year;
  const normsYear = 2060 + Math.floor(Math.random() * 20);
  const savedYear = 2090;

  beforeAll(async () => {
    t = await createTestApp();
    const unit = await makeUnit(t.dataSource);
    const otherUnit = await makeUnit(t.dataSource);
    branch = await makeBranch(t.dataSource, unit);
    studentBranch = await makeBranch(t.dataSource, unit, { kind: 'student' });
    const otherBranch = await makeBranch(t.dataSource, otherUnit);
    const users = {
      department: await makeUser(t.dataSource, { role: 'admin' }),
      unitAdmin: await makeUser(t.dataSource, { role: 'admin', unitId: unit.id }),
      otherUnitAdmin: await makeUser(t.dataSource, { role: 'admin', unitId: otherUnit.id }),
      secretary: await makeUser(t.dataSource, { branch }),
      otherSecretary: await makeUser(t.dataSource, { branch: otherBranch }),
      instructor: await makeUser(t.dataSource, { role: 'instructor' }),
    };
    tokens = {} as typeof tokens;
    for (const [name, user] of Object.entries(users)) tokens[name as keyof typeof tokens] = await t.login(user.username);
  }, 60_000);
  afterAll(async () => {
    await t.dataSource.query('DELETE FROM norm_versions WHERE year BETWEEN 2030 AND 2100');
    await t.close();
  });

  const json = (response: { statusCode: number; body: string; json: () => any }, status: number) => {
    if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const planUrl = (b: Branch, year: number) => `/api/branches/${b.id}/plans/${year}`;

  describe('norms', () => {
    it('anyone signed in reads a year’s norms: a year nobody set is the shipped set', async () => {
      const set = json(await t.get(`/api/norms?year=${normsYear}`, tokens.instructor), 200);
      expect(set).toMatchObject({ year: normsYear, version: 1 });
      expect(set.items.map((n: { kind: string }) => n.kind)).toEqual(shippedNorms().map((n) => n.kind));
      expect(json(await t.get('/api/norms', tokens.secretary), 200).year).toBe(thisYear);
      expect((await t.get('/api/norms')).statusCode).toBe(401);
    });

    it('the department saves the whole set as a new version; others are refused', async () => {
      const year = savedYear;
      const items = [
        { kind: 'theme_day', name: '主题党日', minCount: 2, per: 'month', branchKinds: ['staff', 'staff'], requires: ['photos', 'attendance'] },
        { kind: 'study_session', name: '集中学习', minCount: 1, per: 'quarter', branchKinds: ['student'], requires: [] },
      ];
      const saved = json(await t.put(`/api/norms/${year}`, { items }, tokens.department), 200);
      expect(saved).toMatchObject({ year, version: 2 });
      expect(saved.items).toEqual([
        expect.objectContaining({ kind: 'theme_day', minCount: 2, branchKinds: ['staff'], requires: ['photos', 'attendance'] }),
        expect.objectContaining({ kind: 'study_session', per: 'quarter', branchKinds: ['student'] }),
      ]);
      expect(json(await t.get(`/api/norms?year=${year}`, tokens.secretary), 200).version).toBe(2);
      const refused = await t.put(`/api/norms/${year}`, { items }, tokens.unitAdmin);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('DEPARTMENT_ONLY');
      expect((await t.put(`/api/norms/${year}`, { items }, tokens.secretary)).statusCode).toBe(403);
    });

    it('two saves of the same year at the same moment both land, as consecutive versions', async () => {
      const year = savedYear + 1;
      const body = (minCount: number) => ({ items: [{ kind: 'party_lecture', name: '党课', minCount, per: 'quarter', branchKinds: ['staff'], requires: [] }] });
      const [a, b] = await Promise.all([t.put(`/api/norms/${year}`, body(1), tokens.department), t.put(`/api/norms/${year}`, body(2), tokens.department)]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect([a.json().version, b.json().version].sort()).toEqual([2, 3]);
      const newest = [a.json(), b.json()].find((s) => s.version === 3);
      expect(json(await t.get(`/api/norms?year=${year}`, tokens.department), 200).items[0].minCount).toBe(newest.items[0].minCount);
    });

    it('refuses a bad set with Chinese messages, changing nothing', async () => {
      const year = savedYear + 3;
      const good = { kind: 'theme_day', name: '主题党日', minCount: 1, per: 'month', branchKinds: ['staff'], requires: [] };
      const cases: Array<[unknown, string, string]> = [
        [{ items: [good, { ...good, name: '又一个' }] }, 'NORM_KIND_INVALID', '重复'],
        [{ items: [{ ...good, kind: 'own' }] }, 'NORM_KIND_INVALID', '留作他用'],
        [{ items: [{ ...good, minCount: 0 }] }, 'VALIDATION_FAILED', '最少次数不能小于 1'],
        [{ items: [{ ...good, per: 'week' }] }, 'VALIDATION_FAILED', '周期的取值不在可选范围内'],
        [{ items: [{ ...good, kind: 'Theme Day' }] }, 'VALIDATION_FAILED', '小写字母'],
        [{ items: [{ ...good, branchKinds: [] }] }, 'VALIDATION_FAILED', '适用支部类型至少要有 1 项'],
        [{ items: [] }, 'VALIDATION_FAILED', '条目至少要有 1 项'],
      ];
      for (const [body, code, words] of cases) {
        const response = await t.put(`/api/norms/${year}`, body, tokens.department);
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe(code);
        expect(JSON.stringify(response.json().message)).toContain(words);
      }
      for (const bad of ['abcd', '1999', '2101', '20260']) {
        const response = await t.put(`/api/norms/${bad}`, { items: [good] }, tokens.department);
        expect(response.statusCode).toBe(400);
        expect(JSON.stringify(response.json().message)).toContain('年度');
      }
      expect(json(await t.get(`/api/norms?year=${year}`, tokens.department), 200).version).toBe(1);
      expect((await t.get('/api/norms?year=1800', tokens.department)).statusCode).toBe(400);
    });
  });

  describe('members', () => {
    it('the secretary keeps the list; the unit and the department read it; nobody else sees it', async () => {
      const b = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
      const secretary = await t.login((await makeUser(t.dataSource, { branch: b })).username);
      const url = `/api/branches/${b.id}/members`;
      const wang = json(await t.post(url, { name: ' 王芳 ', category: 'probationary', joinedAt: '2025-06-30' }, secretary), 201);
      expect(wang).toMatchObject({ name: '王芳', category: 'probationary', joinedAt: '2025-06-30', leftAt: null });
      const li = json(await t.post(url, { name: '李强' }, secretary), 201);
      expect(li).toMatchObject({ category: 'full', joinedAt: null });
      expect(json(await t.patch(`${url}/${wang.id}`, { category: 'full' }, secretary), 200).category).toBe('full');
      const left = json(await t.delete(`${url}/${li.id}`, secretary), 200);
      expect(left.leftAt).toBe(beijingDay().date);
      expect(json(await t.get(url, secretary), 200)).toMatchObject({ total: 1, full: 1, probationary: 0, items: [expect.objectContaining({ id: wang.id })] });
      const all = json(await t.get(`${url}?includeLeft=true`, secretary), 200);
      expect(all.items.map((m: { id: string }) => m.id)).toEqual([wang.id, li.id]);
      const patchLeft = await t.patch(`${url}/${li.id}`, { name: '李强强' }, secretary);
      expect([patchLeft.statusCode, patchLeft.json().code]).toEqual([409, 'MEMBER_LEFT']);

      // Another branch's secretary and another unit's admin find no such branch; admins may read but not write.
      expect((await t.get(url, tokens.otherSecretary)).statusCode).toBe(404);
      expect((await t.get(url, tokens.otherUnitAdmin)).statusCode).toBe(404);
      expect((await t.get(url, tokens.department)).statusCode).toBe(200);
      expect((await t.get(url, tokens.instructor)).statusCode).toBe(403);
      const adminWrite = await t.post(url, { name: '赵六' }, tokens.department);
      expect([adminWrite.statusCode, adminWrite.json().code]).toEqual([403, 'BRANCH_SECRETARY_ONLY']);
      // A member of another branch is no member here.
      expect((await t.patch(`/api/branches/${branch.id}/members/${wang.id}`, { name: '某' }, tokens.secretary)).statusCode).toBe(404);
    });

    it('refuses bad members with Chinese messages', async () => {
      const url = `/api/branches/${branch.id}/members`;
      const cases: Array<[unknown, string]> = [
        [{}, '请填写名称'],
        [{ name: '   ' }, '名称不能为空'],
        [{ name: '张三', category: 'member' }, '党员类别的取值不在可选范围内'],
        [{ name: '张三', joinedAt: '2021/07/01' }, '入党时间须为日期'],
        [{ name: '张三', joinedAt: '2021-02-30' }, '入党时间须为日期'],
        [{ name: 'x'.repeat(51) }, '名称不能超过 50 个字'],
      ];
      for (const [body, words] of cases) {
        const response = await t.post(url, body, tokens.secretary);
        expect(response.statusCode).toBe(400);
        expect(JSON.stringify(response.json().message)).toContain(words);
      }
      expect(json(await t.get(url, tokens.secretary), 200).items).toEqual([]);
    });

    it('imports a member list from GBK CSV and XLSX: new names added, known names updated, bad files change nothing', async () => {
      const b = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
      const secretary = await t.login((await makeUser(t.dataSource, { branch: b })).username);
      const url = `/api/branches/${b.id}/members`;
      const upload = (file: { payload: Buffer; headers: Record<string, string> }, query = '') =>
        t.request({ method: 'POST', url: `${url}/import${query}`, token: secretary, payload: file.payload, headers: file.headers });
      const csv = iconv.encode('姓名,类别,入党时间\n张伟,正式党员,2010年7月1日\n刘洋,预备,2025/6/1\n陈静,,\n', 'gbk');
      const preview = json(await upload(multipartFile('file', '党员名册.csv', csv, 'text/csv'), '?dryRun=true'), 200);
      expect(preview).toMatchObject({ dryRun: true, applied: false, encoding: 'gbk', rows: 3, created: 3, errors: [] });
      expect(json(await t.get(url, secretary), 200).total).toBe(0);
      expect(json(await upload(multipartFile('file', '党员名册.csv', csv, 'text/csv')), 200)).toMatchObject({ applied: true, created: 3 });
      const list = json(await t.get(url, secretary), 200);
      expect(list).toMatchObject({ total: 3, full: 2, probationary: 1 });
      expect(list.items.find((m: { name: string }) => m.name === '张伟').joinedAt).toBe('2010-07-01');

      // XLSX: 刘洋 becomes a full member, 周敏 joins, 陈静 unchanged.
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('党员');
      sheet.addRow(['姓名', '党员类别', '入党日期']);
      sheet.addRow(['刘洋', '正式', new Date(Date.UTC(2025, 5, 1))]);
      sheet.addRow(['周敏', '预备党员', '2025-09-01']);
      sheet.addRow(['陈静', '正式', '']);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      expect(json(await upload(multipartFile('file', '党员名册.xlsx', xlsx)), 200)).toMatchObject({ format: 'xlsx', applied: true, created: 1, updated: 1, unchanged: 1 });
      expect(json(await t.get(url, secretary), 200)).toMatchObject({ total: 4, full: 3, probationary: 1 });

      const bad = json(await upload(multipartFile('file', 'bad.csv', '姓名,类别,入党时间\n吴刚,群众,\n,正式,\n郑华,正式,2021-13-01\n', 'text/csv')), 200);
      expect(bad).toMatchObject({ applied: false, created: 0, updated: 0 });
      expect(bad.errors.map((e: { row: number }) => e.row)).toEqual([2, 3, 4]);
      expect(bad.errors.map((e: { message: string }) => e.message).join()).toMatch(/类别「群众」无法识别.*缺少姓名.*入党时间「2021-13-01」不是有效日期/);
      expect(json(await t.get(url, secretary), 200).total).toBe(4);
      const noName = await upload(multipartFile('file', 'x.csv', '类别\n正式\n', 'text/csv'));
      expect([noName.statusCode, noName.json().code]).toEqual([400, 'ROSTER_COLUMNS']);
      expect(noName.json().message).toContain('表头缺少「姓名」列');
      expect((await t.request({ method: 'POST', url: `${url}/import`, token: tokens.department, ...multipartFile('file', 'a.csv', csv, 'text/csv') })).statusCode).toBe(403);
    });
  });

  describe('annual plans', () => {
    const freshBranch = async (kind: 'staff' | 'student' = 'staff') => {
      const b = await makeBranch(t.dataSource, await makeUnit(t.dataSource), { kind });
      const secretary = await t.login((await makeUser(t.dataSource, { branch: b })).username);
      const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: b.unitId })).username);
      return { b, secretary, unitAdmin };
    };
    const asInput = (items: PlanItem[]) => items.map(({ id, month, kind, title }) => (id ? { id, month, kind, title } : { month, kind, title }));

    it('a plan nobody saved answers the draft pre-filled from the norms for the branch’s kind, and stores nothing', async () => {
      const plan = json(await t.get(planUrl(branch, thisYear), tokens.secretary), 200);
      expect(plan).toMatchObject({ branchId: branch.id, year: thisYear, status: 'draft', stored: false, shortfalls: [] });
      const count = (kind: string) => plan.items.filter((i: PlanItem) => i.kind === kind).length;
      expect([count('theme_day'), count('party_lecture'), count('life_meeting'), count('heart_talk')]).toEqual([12, 4, 1, 2]);
      expect(plan.items.filter((i: PlanItem) => i.kind === 'party_lecture').map((i: PlanItem) => i.month)).toEqual([3, 6, 9, 12]);
      expect(plan.items.filter((i: PlanItem) => i.kind === 'heart_talk').map((i: PlanItem) => i.title)).toEqual(['谈心谈话（第 1 次）', '谈心谈话（第 2 次）']);
      expect(plan.items.every((i: PlanItem) => i.id === null && i.normId)).toBe(true);
      const now = beijingDay();
      for (const item of plan.items as PlanItem[]) {
        expect(item.state).toBe(item.month < now.month ? 'overdue' : item.month === now.month ? 'due' : 'planned');
      }
      expect(json(await t.get(planUrl(branch, thisYear), tokens.secretary), 200).stored).toBe(false);
      expect(json(await t.get(planUrl(branch, 2040), tokens.unitAdmin), 200).items.every((i: PlanItem) => i.state === 'planned')).toBe(true);
      expect(json(await t.get(planUrl(branch, 2001), tokens.department), 200).items.every((i: PlanItem) => i.state === 'overdue')).toBe(true);

      // A student branch under norms that apply to students only.
      const studentPlan = json(await t.get(planUrl(studentBranch, savedYear), tokens.department), 200);
      expect(new Set(studentPlan.items.map((i: PlanItem) => i.kind))).toEqual(new Set(['study_session']));
    });

    it('drafted, returned with a comment, corrected, submitted again and approved; locked once submitted', async () => {
      const { b, secretary, unitAdmin } = await freshBranch();
      const url = planUrl(b, 2041);
      const draft = json(await t.get(url, secretary), 200);
      // Drop one 主题党日 and add a topic of the branch's own.
      const withoutMay = draft.items.filter((i: PlanItem) => !(i.kind === 'theme_day' && i.month === 5));
      const saved = json(await t.put(url, { items: [...asInput(withoutMay), { month: 7, kind: 'own', title: '参观党史馆' }] }, secretary), 200);
      expect(saved).toMatchObject({ stored: true, status: 'draft' });
      expect(saved.items).toHaveLength(draft.items.length);
      expect(saved.items.every((i: PlanItem) => i.id)).toBe(true);
      expect(saved.items.find((i: PlanItem) => i.kind === 'own')).toMatchObject({ month: 7, title: '参观党史馆', normId: null });
      expect(saved.shortfalls).toEqual([expect.objectContaining({ kind: 'theme_day', per: 'month', period: 5, missing: 1 })]);

      const below = await t.post(`${url}/submit`, {}, secretary);
      expect([below.statusCode, below.json().code]).toEqual([409, 'PLAN_BELOW_NORMS']);
      expect(below.json().message).toContain('主题党日：5月少 1 次');

      // Kept items keep their ids; the new May item is added.
      const fixed = json(await t.put(url, { items: [...asInput(saved.items), { month: 5, kind: 'theme_day', title: '主题党日：重温入党誓词' }] }, secretary), 200);
      expect(fixed.shortfalls).toEqual([]);
      expect(fixed.items.filter((i: PlanItem) => saved.items.some((s: PlanItem) => s.id === i.id))).toHaveLength(saved.items.length);

      expect((await t.post(`${url}/submit`, {}, unitAdmin)).json().code).toBe('BRANCH_SECRETARY_ONLY');
      expect(json(await t.post(`${url}/submit`, {}, secretary), 200)).toMatchObject({ status: 'submitted' });
      expect((await t.post(`${url}/submit`, {}, secretary)).json().code).toBe('PLAN_ALREADY_SUBMITTED');
      const locked = await t.put(url, { items: asInput(fixed.items) }, secretary);
      expect([locked.statusCode, locked.json().code]).toEqual([409, 'PLAN_NOT_EDITABLE']);

      const ownReview = await t.post(`${url}/review`, { decision: 'approve' }, secretary);
      expect([ownReview.statusCode, ownReview.json().code]).toEqual([403, 'BRANCH_REVIEW_ADMIN_ONLY']);
      expect((await t.post(`${url}/review`, { decision: 'approve' }, tokens.otherUnitAdmin)).statusCode).toBe(404);
      const noComment = await t.post(`${url}/review`, { decision: 'return' }, unitAdmin);
      expect(noComment.statusCode).toBe(400);
      expect(noComment.json().message).toContain('请填写审核意见');
      const returned = json(await t.post(`${url}/review`, { decision: 'return', comment: '请写明党课主题。' }, unitAdmin), 200);
      expect(returned).toMatchObject({ status: 'returned', reviewComment: '请写明党课主题。' });
      expect(json(await t.get(url, secretary), 200)).toMatchObject({ status: 'returned', reviewComment: '请写明党课主题。' });

      const lectures = fixed.items.map((i: PlanItem) => (i.kind === 'party_lecture' ? { ...i, title: `${i.title}：学习新党章` } : i));
      json(await t.put(url, { items: asInput(lectures) }, secretary), 200);
      expect(json(await t.post(`${url}/submit`, {}, secretary), 200)).toMatchObject({ status: 'submitted', reviewComment: null });
      const approved = json(await t.post(`${url}/review`, { decision: 'approve' }, tokens.department), 200);
      expect(approved).toMatchObject({ status: 'approved' });
      expect(approved.reviewedAt).toBeTruthy();
      expect((await t.post(`${url}/review`, { decision: 'return', comment: '再改' }, unitAdmin)).json().code).toBe('PLAN_NOT_SUBMITTED');
      expect((await t.put(url, { items: [] }, secretary)).json().code).toBe('PLAN_NOT_EDITABLE');
    });

    it('two saves of the same plan at the same second: both answer 200 with what each saved, and the plan is one of them whole', async () => {
      const { b, secretary } = await freshBranch();
      const url = planUrl(b, 2042);
      const draft = json(await t.get(url, secretary), 200);
      const first = [...asInput(draft.items), { month: 1, kind: 'own', title: '甲方案' }];
      const second = [...asInput(draft.items), { month: 2, kind: 'own', title: '乙方案' }, { month: 3, kind: 'own', title: '乙方案二' }];
      const [a, c] = await Promise.all([t.put(url, { items: first }, secretary), t.put(url, { items: second }, secretary)]);
      expect([a.statusCode, c.statusCode]).toEqual([200, 200]);
      const titles = (plan: { items: PlanItem[] }) => plan.items.map((i) => i.title).sort();
      expect(titles(a.json())).toEqual(first.map((i) => i.title).sort());
      expect(titles(c.json())).toEqual(second.map((i) => i.title).sort());
      const final = json(await t.get(url, secretary), 200);
      expect([titles(a.json()), titles(c.json())]).toContainEqual(titles(final));
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM branch_plans WHERE branch_id = ? AND year = 2042', [b.id]);
      expect(Number(n)).toBe(1);

      // The loser's items are gone: saving them again by id is a clear 409, and nothing is half-written.
      const loser = titles(final).join() === titles(a.json()).join() ? c.json() : a.json();
      const stale = await t.put(url, { items: asInput(loser.items) }, secretary);
      expect([stale.statusCode, stale.json().code]).toEqual([409, 'PLAN_CHANGED']);
      expect(json(await t.get(url, secretary), 200).items).toEqual(final.items);

      // Two submits at once: one submits, the other is told it already was.
      const both = await Promise.all([t.post(`${url}/submit`, {}, secretary), t.post(`${url}/submit`, {}, secretary)]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(both.find((r) => r.statusCode === 409)!.json().code).toBe('PLAN_ALREADY_SUBMITTED');
    });

    it('refuses bad plans with Chinese messages, changing nothing', async () => {
      const { b, secretary } = await freshBranch();
      const url = planUrl(b, 2043);
      const cases: Array<[unknown, number, string]> = [
        [{ items: [{ month: 13, kind: 'own', title: '甲' }] }, 400, '月份不能大于 12'],
        [{ items: [{ month: 0, kind: 'own', title: '甲' }] }, 400, '月份不能小于 1'],
        [{ items: [{ month: 1, kind: 'dinner', title: '聚餐' }] }, 400, '不在本年度的工作规范中'],
        [{ items: [{ month: 1, kind: 'own', title: '' }] }, 400, '标题不能为空'],
        [{ items: [{ month: 1, kind: 'own' }] }, 400, '请填写条目第 1 项的标题'],
        [{ items: [{ id: '999999999', month: 1, kind: 'own', title: '甲' }] }, 409, '请刷新后重试'],
        [{ items: 'all' }, 400, '条目应为列表'],
      ];
      for (const [body, status, words] of cases) {
        const response = await t.put(url, body, secretary);
        expect(response.statusCode).toBe(status);
        expect(JSON.stringify(response.json().message)).toContain(words);
      }
      expect(json(await t.get(url, secretary), 200).stored).toBe(false);
      const badReview = await t.post(`${url}/review`, { decision: 'maybe' }, tokens.department);
      expect(badReview.statusCode).toBe(400);
      expect(badReview.json().message).toContain('审核结论的取值不在可选范围内');
      const notSubmitted = await t.post(`${url}/review`, { decision: 'approve' }, tokens.department);
      expect([notSubmitted.statusCode, notSubmitted.json().code]).toEqual([409, 'PLAN_NOT_SUBMITTED']);
    });

    it('items follow the handbook’s records: linked while written, done once accepted, moved when re-linked; an item with records stays', async () => {
      const { b, secretary } = await freshBranch();
      const year = thisYear;
      const url = planUrl(b, year);
      const saved = json(await t.put(url, { items: asInput(json(await t.get(url, secretary), 200).items) }, secretary), 200);
      const [first, second] = saved.items.filter((i: PlanItem) => i.kind === 'theme_day');
      const emit = (recordId: string, status: 'draft' | 'submitted' | 'accepted' | 'returned', planItemId: string | null, previousPlanItemId: string | null = null) =>
        t.dataSource.transaction((manager) => t.app.get(EventBus).emitInTransaction(manager, 'branchRecord.changed', { recordId, branchId: b.id, status, planItemId, previousPlanItemId, year, previousYear: year }));
      const item = async (id: string) => (json(await t.get(url, secretary), 200).items as PlanItem[]).find((i) => i.id === id)!;

      await emit('900001', 'draft', first.id);
      expect(await item(first.id)).toMatchObject({ recordIds: ['900001'], state: 'overdue' });
      await emit('900001', 'accepted', first.id);
      expect(await item(first.id)).toMatchObject({ recordIds: ['900001'], state: 'done' });
      // Re-linked to the second item while returned: the first loses it, the second is not done.
      await emit('900001', 'returned', second.id, first.id);
      expect(await item(first.id)).toMatchObject({ recordIds: [], state: 'overdue' });
      expect(await item(second.id)).toMatchObject({ recordIds: ['900001'] });
      expect((await item(second.id)).state).not.toBe('done');

      const removing = await t.put(url, { items: asInput(saved.items.filter((i: PlanItem) => i.id !== second.id)) }, secretary);
      expect([removing.statusCode, removing.json().code]).toEqual([409, 'PLAN_ITEM_HAS_RECORDS']);
      expect(removing.json().message).toContain(second.title);
      await emit('900001', 'draft', null, second.id);
      expect(await item(second.id)).toMatchObject({ recordIds: [] });
      expect(json(await t.put(url, { items: asInput(saved.items.filter((i: PlanItem) => i.id !== second.id)) }, secretary), 200).items).toHaveLength(saved.items.length - 1);
    });

    it('exports the 年度安排表 as XLSX and PDF that read back with the plan’s words', async () => {
      const { b, secretary, unitAdmin } = await freshBranch();
      const url = planUrl(b, 2044);
      const draft = json(await t.get(url, secretary), 200);
      json(await t.put(url, { items: [...asInput(draft.items), { month: 7, kind: 'own', title: '参观红色教育基地' }] }, secretary), 200);
      json(await t.post(`${url}/submit`, {}, secretary), 200);

      const xlsx = await t.get(`${url}/export?format=xlsx`, unitAdmin);
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain('年度安排表.xlsx');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet.getCell('A1').value).toBe(`${b.name} 2044年党支部学习活动年度安排表`);
      expect(String(sheet.getCell('A2').value)).toContain('已提交，待审核');
      expect(sheet.getRow(3).values).toEqual([undefined, '月份', '活动类别', '活动内容', '完成情况', '工作纪实']);
      const rows = sheet.getRows(4, sheet.rowCount - 3)!.map((r) => (r.values as unknown[]).slice(1));
      expect(rows).toHaveLength(draft.items.length + 1);
      expect(rows).toContainEqual(['7月', '支部自选', '参观红色教育基地', '未到期', '']);
      expect(rows.filter((r) => r[1] === '主题党日')).toHaveLength(12);

      const pdf = await t.get(`${url}/export?format=pdf`, tokens.department);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
      expect(text).toContain(`${b.name}2044年党支部学习活动年度安排表`);
      expect(text).toContain('参观红色教育基地');
      expect(text).toContain('党课（第四季度）');
      expect(text).toContain('支部书记（签字）');

      expect((await t.get(`${url}/export?format=doc`, secretary)).statusCode).toBe(400);
      expect((await t.get(`${url}/export`, tokens.otherSecretary)).statusCode).toBe(404);
    });

    it('the review queue lists the year’s submitted plans of the unit admin’s unit; the department sees all or one unit', async () => {
      const year = 2046;
      const mine = await freshBranch();
      const other = await freshBranch();
      const draftOnly = await freshBranch();
      for (const { b, secretary } of [mine, other]) json(await t.post(`${planUrl(b, year)}/submit`, {}, secretary), 200);
      json(await t.put(planUrl(draftOnly.b, year), { items: [] }, draftOnly.secretary), 200);
      const queue = json(await t.get(`/api/branch-plans?year=${year}&status=submitted`, mine.unitAdmin), 200);
      expect(queue).toMatchObject({ total: 1, items: [{ branchId: mine.b.id, branchName: mine.b.name, year, status: 'submitted' }] });
      expect(queue.items[0].submittedAt).toBeTruthy();
      const all = json(await t.get(`/api/branch-plans?year=${year}&status=submitted&pageSize=100`, tokens.department), 200);
      expect(all.items.map((p: { branchId: string }) => p.branchId)).toEqual(expect.arrayContaining([mine.b.id, other.b.id]));
      expect(all.items.map((p: { branchId: string }) => p.branchId)).not.toContain(draftOnly.b.id);
      const oneUnit = json(await t.get(`/api/branch-plans?year=${year}&unitId=${other.b.unitId}`, tokens.department), 200);
      expect(oneUnit.items.map((p: { branchId: string }) => p.branchId)).toEqual([other.b.id]);
      expect((await t.get(`/api/branch-plans?unitId=${other.b.unitId}`, mine.unitAdmin)).statusCode).toBe(404);
      expect((await t.get('/api/branch-plans', tokens.secretary)).statusCode).toBe(403);
      expect((await t.get('/api/branch-plans?status=done', tokens.department)).statusCode).toBe(400);
    });

    it('belongs to the branch, not the person: a new secretary continues the plan and the list; the one who moved away loses them', async () => {
      const { b, secretary } = await freshBranch();
      const url = planUrl(b, 2047);
      const saved = json(await t.put(url, { items: [{ month: 4, kind: 'own', title: '清明祭扫' }] }, secretary), 200);
      json(await t.post(`/api/branches/${b.id}/members`, { name: '赵敏' }, secretary), 201);
      // The secretary moves to another branch; a successor takes over this one.
      const [leaving] = await t.dataSource.query('SELECT u.id FROM users u WHERE u.branch_id = ? AND u.role = ?', [b.id, 'secretary']);
      const elsewhere = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
      json(await t.patch(`/api/users/${leaving.id}`, { branchId: elsewhere.id }, tokens.department), 200);
      const successor = await t.login((await makeUser(t.dataSource, { branch: b })).username);
      expect(json(await t.get(url, successor), 200).items).toEqual(saved.items);
      json(await t.put(url, { items: [...saved.items.map(({ id, month, kind, title }: PlanItem) => ({ id, month, kind, title })), { month: 5, kind: 'own', title: '参观纪念馆' }] }, successor), 200);
      expect(json(await t.get(`/api/branches/${b.id}/members`, successor), 200).items.map((m: { name: string }) => m.name)).toEqual(['赵敏']);
      // The secretary who moved finds the old branch's plan and list no more (their own session included).
      expect((await t.get(url, secretary)).statusCode).toBe(404);
      expect((await t.get(`/api/branches/${b.id}/members`, secretary)).statusCode).toBe(404);
    });

    it('reads only for the branch’s secretary, its unit’s admins and the department', async () => {
      const url = planUrl(branch, 2045);
      expect((await t.get(url, tokens.secretary)).statusCode).toBe(200);
      expect((await t.get(url, tokens.unitAdmin)).statusCode).toBe(200);
      expect((await t.get(url, tokens.department)).statusCode).toBe(200);
      expect((await t.get(url, tokens.otherSecretary)).statusCode).toBe(404);
      expect((await t.get(url, tokens.otherUnitAdmin)).statusCode).toBe(404);
      expect((await t.get(url, tokens.instructor)).statusCode).toBe(403);
      expect((await t.get(url)).statusCode).toBe(401);
      expect((await t.put(url, { items: [] }, tokens.unitAdmin)).json().code).toBe('BRANCH_SECRETARY_ONLY');
    });
  });
});
