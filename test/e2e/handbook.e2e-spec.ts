import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BranchPlan } from '../../src/branch-plans/branch-plan.entity';
import { PlanItem } from '../../src/branch-plans/plan-item.entity';
import { EventBus } from '../../src/events/event-bus';
import type { Branch } from '../../src/org/branch.entity';
import type { BranchMember } from '../../src/branch-members/branch-member.entity';
import { pdfText } from '../factories/certificate.factory';
import { HEIC_PHOTO, JPEG_PHOTO, makeMembers, PDF_SCAN, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The handbook (一册) through HTTP: a secretary writes a record of an activity their branch held, submits it
 * once it holds what the norm asks, the unit reviews it, and an accepted record is locked and corrected only
 * by appending. Attachments are checked by their bytes; the year prints as a PDF and a ledger XLSX.
 */
describe('handbook records (e2e)', () => {
  let t: TestApp;
  let branch: Branch;
  let members: BranchMember[];
  let secretary: string;
  let unitAdmin: string;
  let dept: string;
  let otherSecretary: string;
  let otherUnitAdmin: string;
  let planItem: PlanItem;

  const themeDay = (overrides: Record<string, unknown> = {}) => ({
    kind: 'theme_day',
    title: '9月主题党日：重温入党誓词',
    heldAt: '2026-09-20T14:30:00+08:00',
    place: '党员活动室',
    chair: '王书记',
    recorder: '李委员',
    attendance: { present: [members[0].id, members[1].id, members[2].id], absent: [{ memberId: members[3].id, reason: '出差在外' }] },
    minutes: '## 议程\n1. 重温入党誓词\n2. 学习党章第三章',
    resolutions: '每月开展一次志愿服务。',
    ...overrides,
  });
  const upload = (recordId: string, name: string, bytes: Buffer, type: string, token = secretary, query = '') =>
    t.request({ method: 'POST', url: `/api/records/${recordId}/attachments${query}`, token, ...multipartFile('file', name, bytes, type) });

  beforeAll(async () => {
    t = await createTestApp();
    const unit = await makeUnit(t.dataSource);
    branch = await makeBranch(t.dataSource, unit);
    const otherBranch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    members = await makeMembers(t.dataSource, branch, [
      { name: '张红', category: 'full' },
      { name: '刘军', category: 'full' },
      { name: '陈预备', category: 'probationary' },
      { name: '赵出差', category: 'full' },
    ]);
    secretary = await t.login((await makeUser(t.dataSource, { branch })).username);
    otherSecretary = await t.login((await makeUser(t.dataSource, { branch: otherBranch })).username);
    unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    otherUnitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: otherBranch.unitId })).username);
    dept = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const plan = await t.dataSource.getRepository(BranchPlan).save({ branchId: branch.id, year: 2026, status: 'approved' });
    planItem = await t.dataSource.getRepository(PlanItem).save({ planId: plan.id, month: 9, kind: 'theme_day', title: '9月主题党日', normId: null, position: 0 });
  });
  afterAll(() => t.close());

  it('writes, submits (what the norm requires), accepts, locks and corrects a record, telling the plans each time', async () => {
    const told: unknown[] = [];
    const bus = t.app.get(EventBus);
    const emit = jest.spyOn(bus, 'emitInTransaction').mockImplementation(async function (this: EventBus, manager, name, payload) {
      if (name === 'branchRecord.changed') told.push(payload);
      return EventBus.prototype.emitInTransaction.call(this, manager, name, payload);
    });
    try {
      const created = await t.post(`/api/branches/${branch.id}/records`, themeDay({ planItemId: planItem.id }), secretary);
      expect(created.statusCode).toBe(201);
      const record = created.json();
      expect(record).toMatchObject({ status: 'draft', year: 2026, kind: 'theme_day', planItemId: planItem.id, presentFull: 2, presentProbationary: 1, absentCount: 1 });
      expect(record.attendance.absent).toEqual([{ memberId: members[3].id, name: '赵出差', category: 'full', reason: '出差在外' }]);
      expect(record.minutesHtml).toContain('<h2>');
      expect(told).toEqual([{ recordId: record.id, branchId: branch.id, status: 'draft', planItemId: planItem.id, previousPlanItemId: null, year: 2026, previousYear: null }]);

      // Who may read: its secretary, its unit, the department; another branch or unit finds nothing.
      expect((await t.get(`/api/records/${record.id}`, unitAdmin)).statusCode).toBe(200);
      expect((await t.get(`/api/records/${record.id}`, dept)).statusCode).toBe(200);
      expect((await t.get(`/api/records/${record.id}`, otherSecretary)).json().code).toBe('RECORD_NOT_FOUND');
      expect((await t.get(`/api/records/${record.id}`, otherUnitAdmin)).statusCode).toBe(404);
      expect((await t.patch(`/api/records/${record.id}`, { title: '改' }, unitAdmin)).json().code).toBe('BRANCH_SECRETARY_ONLY');
      expect((await t.get(`/api/branches/${branch.id}/records?year=2026&kind=theme_day`, unitAdmin)).json()).toMatchObject({ total: 1, items: [{ id: record.id }] });
      expect((await t.get(`/api/branches/${branch.id}/records?year=2025`, secretary)).json().total).toBe(0);

      // The norm of 主题党日 asks for photos: submitting without one names what is missing, and changes nothing.
      const incomplete = await t.post(`/api/records/${record.id}/submit`, {}, secretary);
      expect(incomplete.statusCode).toBe(400);
      expect(incomplete.json()).toMatchObject({ code: 'RECORD_INCOMPLETE', missing: ['photos'] });
      expect(incomplete.json().message).toContain('照片');
      expect((await t.get(`/api/records/${record.id}`, secretary)).json().status).toBe('draft');

      // Moving it off the plan item tells the plans which item it left.
      told.length = 0;
      const moved = await t.patch(`/api/records/${record.id}`, { planItemId: null, place: '三楼会议室' }, secretary);
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ planItemId: null, place: '三楼会议室', title: themeDay().title });
      expect(told).toEqual([{ recordId: record.id, branchId: branch.id, status: 'draft', planItemId: null, previousPlanItemId: planItem.id, year: 2026, previousYear: 2026 }]);
      await t.patch(`/api/records/${record.id}`, { planItemId: planItem.id }, secretary);

      const photo = pngImage();
      expect((await upload(record.id, '合影.png', photo, 'image/png')).statusCode).toBe(201);
      told.length = 0;
      const submitted = await t.post(`/api/records/${record.id}/submit`, {}, secretary);
      expect(submitted.statusCode).toBe(200);
      expect(submitted.json()).toMatchObject({ status: 'submitted' });
      expect(submitted.json().normId).not.toBeNull();
      expect(told).toEqual([expect.objectContaining({ status: 'submitted', planItemId: planItem.id })]);

      // Waiting for review: not to be changed, and in the unit's queue (not in another unit's).
      expect((await t.patch(`/api/records/${record.id}`, { title: '再改' }, secretary)).json().code).toBe('RECORD_UNDER_REVIEW');
      expect((await t.get('/api/records?status=submitted', unitAdmin)).json().items.map((r: { id: string }) => r.id)).toContain(record.id);
      expect((await t.get('/api/records?status=submitted', otherUnitAdmin)).json().items.map((r: { id: string }) => r.id)).not.toContain(record.id);
      expect((await t.get(`/api/records?unitId=${branch.unitId}`, otherUnitAdmin)).json().code).toBe('UNIT_NOT_FOUND');
      expect((await t.get(`/api/records?unitId=${branch.unitId}`, dept)).json().items[0]).toMatchObject({ id: record.id, branchName: branch.name });
      expect((await t.get('/api/records', secretary)).statusCode).toBe(403);

      // Review: not by the secretary, a return needs a comment; then the unit accepts.
      expect((await t.post(`/api/records/${record.id}/review`, { decision: 'accept' }, secretary)).json().code).toBe('BRANCH_REVIEW_ADMIN_ONLY');
      expect((await t.post(`/api/records/${record.id}/review`, { decision: 'accept' }, otherUnitAdmin)).statusCode).toBe(404);
      const noComment = await t.post(`/api/records/${record.id}/review`, { decision: 'return' }, unitAdmin);
      expect(noComment.statusCode).toBe(400);
      expect(noComment.json().errors[0]).toMatchObject({ field: 'comment', rule: 'required' });
      told.length = 0;
      const accepted = await t.post(`/api/records/${record.id}/review`, { decision: 'accept', comment: '记录完整' }, unitAdmin);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ status: 'accepted', reviewComment: '记录完整', reviewedBy: { name: expect.any(String) } });
      expect(told).toEqual([expect.objectContaining({ status: 'accepted', planItemId: planItem.id })]);

      // Locked: no changes, no new files; corrections are appended with who, when and why.
      const locked = await t.patch(`/api/records/${record.id}`, { title: '悄悄改' }, secretary);
      expect(locked.statusCode).toBe(409);
      expect(locked.json().code).toBe('RECORD_LOCKED');
      expect((await upload(record.id, '补充.png', photo, 'image/png')).statusCode).toBe(409);
      expect((await t.post(`/api/records/${record.id}/corrections`, { field: 'place', value: '三楼会议室', reason: '无变化' }, secretary)).json().code).toBe('CORRECTION_UNCHANGED');
      expect((await t.post(`/api/records/${record.id}/corrections`, { field: 'status', value: 'draft', reason: '想改回' }, secretary)).statusCode).toBe(400);
      expect((await t.post(`/api/records/${record.id}/corrections`, { field: 'place', value: '四楼', reason: '录入错误' }, unitAdmin)).statusCode).toBe(403);
      const corrected = await t.post(`/api/records/${record.id}/corrections`, { field: 'place', value: '二楼党员活动室', reason: '地点录入有误' }, secretary);
      expect(corrected.statusCode).toBe(201);
      expect(corrected.json()).toMatchObject({
        status: 'accepted',
        place: '二楼党员活动室',
        corrections: [{ field: 'place', oldValue: '三楼会议室', newValue: '二楼党员活动室', reason: '地点录入有误', author: { name: expect.any(String) } }],
      });
      expect(new Date(corrected.json().corrections[0].createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect((await t.get(`/api/records/${record.id}`, unitAdmin)).json().corrections).toHaveLength(1);

      // A second review of an accepted record is a conflict, not a silent overwrite.
      expect((await t.post(`/api/records/${record.id}/review`, { decision: 'return', comment: '重审' }, dept)).statusCode).toBe(409);
    } finally {
      emit.mockRestore();
    }
  });

  it('refuses bad records with clear messages and writes nothing', async () => {
    const before = (await t.get(`/api/branches/${branch.id}/records?pageSize=100`, secretary)).json().total;
    const stranger = (await makeMembers(t.dataSource, await makeBranch(t.dataSource, await makeUnit(t.dataSource)), [{ name: '外支部' }]))[0];
    const cases: [string, Record<string, unknown>, string][] = [
      ['a member of another branch', themeDay({ attendance: { present: [members[0].id, stranger.id], absent: [] } }), 'attendance'],
      ['present and absent at once', themeDay({ attendance: { present: [members[0].id], absent: [{ memberId: members[0].id, reason: '请假' }] } }), 'attendance'],
      ['an unknown kind', themeDay({ kind: 'picnic' }), 'kind'],
      ['a plan item of another year', themeDay({ planItemId: planItem.id, heldAt: '2027-01-10T09:00:00+08:00' }), 'planItemId'],
      ['an unknown plan item', themeDay({ planItemId: '999999999' }), 'planItemId'],
      ['a time without its offset', themeDay({ heldAt: '2026-09-20T14:30:00' }), 'heldAt'],
      ['an empty title', themeDay({ title: '  ' }), 'title'],
      ['an absence without reason', themeDay({ attendance: { present: [], absent: [{ memberId: members[0].id }] } }), 'attendance.absent.0.reason'],
    ];
    for (const [what, body, field] of cases) {
      const response = await t.post(`/api/branches/${branch.id}/records`, body, secretary);
      expect([what, response.statusCode]).toEqual([what, 400]);
      expect([what, response.json().errors.map((e: { field: string }) => e.field)]).toEqual([what, expect.arrayContaining([field])]);
      expect(/[\u4e00-\u9fff]/.test(String(response.json().message))).toBe(true);
    }
    expect((await t.post(`/api/branches/${branch.id}/records`, themeDay(), otherSecretary)).statusCode).toBe(404);
    expect((await t.post(`/api/branches/${branch.id}/records`, themeDay(), unitAdmin)).json().code).toBe('BRANCH_SECRETARY_ONLY');
    expect((await t.get(`/api/branches/${branch.id}/records?pageSize=100`, secretary)).json().total).toBe(before);
    // New Year's Eve at 23:30 in Beijing is still the old year; 00:30 on 1 January is the new one.
    expect((await t.post(`/api/branches/${branch.id}/records`, themeDay({ heldAt: '2026-12-31T23:30:00+08:00' }), secretary)).json().year).toBe(2026);
    expect((await t.post(`/api/branches/${branch.id}/records`, themeDay({ heldAt: '2026-12-31T16:30:00Z' }), secretary)).json().year).toBe(2027);
  });

  it('lets exactly one of two reviews at the same moment decide; the other gets a clear 409', async () => {
    for (let round = 0; round < 3; round++) {
      const record = (await t.post(`/api/branches/${branch.id}/records`, themeDay({ kind: 'other', title: `支部活动${round}` }), secretary)).json();
      expect((await t.post(`/api/records/${record.id}/submit`, {}, secretary)).statusCode).toBe(200);
      const [a, b] = await Promise.all([
        t.post(`/api/records/${record.id}/review`, { decision: 'accept' }, unitAdmin),
        t.post(`/api/records/${record.id}/review`, { decision: 'return', comment: '请补充会议记录' }, dept),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
      expect(loser.json().code).toBe('RECORD_ALREADY_REVIEWED');
      expect(loser.json().message).toContain('刚刚已被审核');
      const stored = (await t.get(`/api/records/${record.id}`, secretary)).json();
      expect(stored.status).toBe(winner.json().status);
      expect(stored.reviewComment).toBe(winner.json().reviewComment);
    }
  });

  it('takes photos and scans by their bytes, serves them to the record’s readers, and refuses what only looks like one', async () => {
    const record = (await t.post(`/api/branches/${branch.id}/records`, themeDay({ kind: 'members_meeting', title: '支部党员大会' }), secretary)).json();
    const png = pngImage();
    const sent = [
      await upload(record.id, '合影.png', png, 'image/png'),
      await upload(record.id, 'IMG_0001.jpg', JPEG_PHOTO, 'image/jpeg'),
      await upload(record.id, 'IMG_0002.HEIC', HEIC_PHOTO, 'image/heic'),
    ];
    expect(sent.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(sent.map((r) => [r.json().kind, r.json().mimeType])).toEqual([
      ['photo', 'image/png'],
      ['photo', 'image/jpeg'],
      ['photo', 'image/heic'],
    ]);
    // A text file named .jpg, an executable named .pdf: refused by what their bytes are.
    const fake = await upload(record.id, 'photo.jpg', Buffer.from('这不是照片'.repeat(20)), 'image/jpeg');
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect((await upload(record.id, 'scan.pdf', Buffer.from('MZ\x90\x00\x03'.padEnd(400, '\x00'), 'binary'), 'application/pdf')).statusCode).toBe(415);
    expect((await upload(record.id, '合影.png', png, 'image/png', unitAdmin)).statusCode).toBe(403);
    expect((await upload(record.id, '合影.png', png, 'image/png', otherSecretary)).statusCode).toBe(404);

    // 支部党员大会 needs a sign-in sheet: a scan sent as one satisfies it.
    expect((await t.post(`/api/records/${record.id}/submit`, {}, secretary)).json()).toMatchObject({ code: 'RECORD_INCOMPLETE', missing: ['signInSheet'] });
    const sheet = await upload(record.id, '签到表.pdf', PDF_SCAN, 'application/pdf', secretary, '?kind=signInSheet');
    expect(sheet.json()).toMatchObject({ kind: 'signInSheet', mimeType: 'application/pdf' });

    const download = await t.get(sent[0].json().url, unitAdmin);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(png)).toBe(true);
    expect((await t.get(sent[0].json().url, otherUnitAdmin)).statusCode).toBe(404);
    expect((await t.get(`/api/records/${record.id}/attachments/999999999`, secretary)).statusCode).toBe(404);

    // A draft's attachment can be removed; its bytes are gone with it.
    expect((await t.delete(sent[2].json().url, secretary)).statusCode).toBe(204);
    expect((await t.get(sent[2].json().url, secretary)).statusCode).toBe(404);
    expect((await t.get(`/api/records/${record.id}`, secretary)).json().attachments).toHaveLength(3);
    expect((await t.post(`/api/records/${record.id}/submit`, {}, secretary)).statusCode).toBe(200);
    expect((await t.delete(sent[1].json().url, secretary)).json().code).toBe('RECORD_UNDER_REVIEW');
  });

  it('prints the year as a handbook PDF and a ledger XLSX that read back', async () => {
    const year = 2025;
    const plan = await t.dataSource.getRepository(BranchPlan).save({ branchId: branch.id, year, status: 'approved' });
    const items = await t.dataSource.getRepository(PlanItem).save([
      { planId: plan.id, month: 6, kind: 'theme_day', title: '七一主题党日', normId: null, position: 0 },
      { planId: plan.id, month: 7, kind: 'own', title: '学习贯彻全会精神专题研讨', normId: null, position: 0 },
    ]);
    const record = (
      await t.post(`/api/branches/${branch.id}/records`, themeDay({ heldAt: '2025-06-28T15:00:00+08:00', title: '七一主题党日：参观革命纪念馆', kind: 'other', planItemId: items[0].id }), secretary)
    ).json();
    await upload(record.id, '参观合影.png', pngImage(120, 80), 'image/png');
    await t.post(`/api/records/${record.id}/submit`, {}, secretary);
    await t.post(`/api/records/${record.id}/review`, { decision: 'accept' }, unitAdmin);
    await t.post(`/api/records/${record.id}/corrections`, { field: 'recorder', value: '周委员', reason: '记录人写错' }, secretary);

    const pdf = await t.get(`/api/branches/${branch.id}/handbook/${year}?format=pdf`, unitAdmin);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(encodeURIComponent('党支部工作手册'));
    const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
    for (const words of ['党支部工作手册', branch.name, '6月', '主题党日：七一主题党日（已完成）', '自定主题：学习贯彻全会精神专题研讨', '七一主题党日：参观革命纪念馆', '赵出差（出差在外）', '重温入党誓词', '党员出席情况统计', '记录人写错', '周委员', '已通过']) {
      expect([words, text.includes(words.replace(/\s+/g, ''))]).toEqual([words, true]);
    }
    // The photo is printed with its record: one image in the file, of the uploaded size.
    const file = join(await mkdtemp(join(tmpdir(), 'handbook-')), 'h.pdf');
    await writeFile(file, pdf.rawPayload);
    const images = (await promisify(execFile)('pdfimages', ['-list', file])).stdout.split('\n').slice(2).filter((l) => l.trim());
    expect(images).toHaveLength(1);
    expect(images[0].trim().split(/\s+/).slice(3, 5)).toEqual(['120', '80']);

    const xlsx = await t.get(`/api/branches/${branch.id}/handbook/${year}?format=xlsx`, dept);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ledger = workbook.getWorksheet('工作纪实台账')!;
    expect(ledger.getRow(1).values).toEqual(expect.arrayContaining(['日期', '标题', '出席正式党员', '缺席人员及事由']));
    expect(ledger.rowCount).toBe(2);
    expect(ledger.getRow(2).values).toEqual(expect.arrayContaining(['2025-06-28 15:00', '七一主题党日：参观革命纪念馆', 2, 1, '赵出差（出差在外）', '6月 七一主题党日', '已通过']));
    const attendance = workbook.getWorksheet('出勤明细')!;
    expect(attendance.rowCount).toBe(5);

    expect((await t.get(`/api/branches/${branch.id}/handbook/${year}?format=pdf`, otherSecretary)).statusCode).toBe(404);
    expect((await t.get(`/api/branches/${branch.id}/handbook/${year}?format=doc`, secretary)).statusCode).toBe(400);
    expect((await t.get(`/api/branches/${branch.id}/handbook/20x5`, secretary)).statusCode).toBe(404);
  });

  it('belongs to the branch: the secretary who moves away loses it, the one who takes over continues it', async () => {
    const unit = await makeUnit(t.dataSource);
    const own = await makeBranch(t.dataSource, unit);
    const elsewhere = await makeBranch(t.dataSource, unit);
    const [member] = await makeMembers(t.dataSource, own, [{ name: '孙党员' }]);
    const leaving = await makeUser(t.dataSource, { branch: own });
    const leavingToken = await t.login(leaving.username);
    const body = themeDay({ kind: 'other', title: '交接前的支部活动', attendance: { present: [member.id], absent: [] } });
    const record = (await t.post(`/api/branches/${own.id}/records`, body, leavingToken)).json();
    expect(record.status).toBe('draft');

    // The department moves the secretary to another branch and names a new one for this branch.
    const moved = await t.patch(`/api/users/${leaving.id}`, { branchId: elsewhere.id }, dept);
    expect(moved.statusCode).toBe(200);
    const successor = await t.login((await makeUser(t.dataSource, { branch: own })).username);
    const movedToken = await t.login(leaving.username);
    // Their session, old or new, no longer reaches the branch's handbook.
    for (const token of [leavingToken, movedToken]) expect((await t.get(`/api/records/${record.id}`, token)).statusCode).toBe(404);
    expect((await t.patch(`/api/records/${record.id}`, { place: '别处' }, movedToken)).statusCode).toBe(404);

    const continued = await t.patch(`/api/records/${record.id}`, { place: '新书记补记的地点' }, successor);
    expect(continued.statusCode).toBe(200);
    expect((await t.post(`/api/records/${record.id}/submit`, {}, successor)).json().status).toBe('submitted');
    expect((await t.get(`/api/branches/${own.id}/records`, successor)).json().items.map((r: { id: string }) => r.id)).toEqual([record.id]);
  });
});
