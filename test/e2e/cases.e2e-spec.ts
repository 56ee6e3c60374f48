import ExcelJS from 'exceljs';
import { StorageDriver } from '../../src/storage/storage';
import { makeRecord } from '../factories/branch-work.factory';
import { HEIC_PHOTO, JPEG_PHOTO, PDF_SCAN, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

describe('exchange of experience 经验交流 (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function world() {
    const unit = await makeUnit(t.dataSource);
    const other = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    const secretary = await makeUser(t.dataSource, { branch });
    const reader = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, other) });
    return {
      unit,
      branch,
      secretary,
      mateToken: await t.login((await makeUser(t.dataSource, { branch })).username),
      secretaryToken: await t.login(secretary.username),
      readerToken: await t.login(reader.username),
      dept: await t.login((await makeUser(t.dataSource, { role: 'admin' })).username),
      unitAdmin: await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username),
      otherAdmin: await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: other.id })).username),
    };
  }

  it('shares a case, from an accepted handbook record only, and reads it as sanitized HTML, by tag, featured and words', async () => {
    const w = await world();
    // Words no other test's case holds (the suite shares one database), to search by.
    const words = `轮值主持${uniq()}`;
    const created = await t.post('/api/cases', { title: `“三会一课”${words}`, body: '**轮值**主持<script>alert(1)</script>', tags: ['三会一课', '组织生活', '三会一课'] }, w.secretaryToken);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ tags: ['三会一课', '组织生活'], branchId: w.branch.id, recommended: false, featured: false, usefulCount: 0, recordId: null });
    expect(created.json().bodyHtml).toContain('<strong>轮值</strong>');
    expect(created.json().bodyHtml).not.toContain('<script');

    const draft = await makeRecord(t.dataSource, w.branch, { kind: 'theme_day', heldAt: new Date('2026-05-10T02:00:00Z'), status: 'submitted', createdBy: w.secretary.id });
    const notAccepted = await t.post('/api/cases', { title: '主题党日', body: '做法', tags: [], recordId: draft.id }, w.secretaryToken);
    expect(notAccepted.statusCode).toBe(409);
    expect(notAccepted.json().code).toBe('CASE_RECORD_NOT_ACCEPTED');
    const accepted = await makeRecord(t.dataSource, w.branch, { kind: 'theme_day', heldAt: new Date('2026-06-10T02:00:00Z'), status: 'accepted', createdBy: w.secretary.id });
    const fromRecord = await t.post('/api/cases', { title: '主题党日进社区', body: '走进社区开展志愿服务。', tags: ['主题党日'], recordId: accepted.id }, w.secretaryToken);
    expect(fromRecord.statusCode).toBe(201);
    expect(fromRecord.json().recordId).toBe(accepted.id);
    // Another branch's record is unknown to this secretary; admins and instructors do not share cases.
    const otherBranch = await makeBranch(t.dataSource, w.unit);
    const foreign = await makeRecord(t.dataSource, otherBranch, { kind: 'theme_day', heldAt: new Date('2026-06-10T02:00:00Z'), status: 'accepted', createdBy: w.secretary.id });
    expect((await t.post('/api/cases', { title: '别人的', body: '做法', tags: [], recordId: foreign.id }, w.secretaryToken)).statusCode).toBe(404);
    expect((await t.post('/api/cases', { title: '管理员', body: '做法', tags: [] }, w.unitAdmin)).statusCode).toBe(403);

    const byTag = (await t.get(`/api/cases?tag=${encodeURIComponent('主题党日')}`, w.readerToken)).json();
    expect(byTag.items.map((c: { id: string }) => c.id)).toContain(fromRecord.json().id);
    expect(byTag.items.map((c: { id: string }) => c.id)).not.toContain(created.json().id);
    const byWords = (await t.get(`/api/cases?q=${encodeURIComponent(words)}`, w.readerToken)).json();
    expect(byWords.items.map((c: { id: string }) => c.id)).toEqual([created.json().id]);

    expect((await t.post(`/api/cases/${created.json().id}/recommend`, {}, w.otherAdmin)).statusCode).toBe(404);
    expect((await t.post(`/api/cases/${created.json().id}/recommend`, {}, w.dept)).statusCode).toBe(403);
    expect((await t.post(`/api/cases/${created.json().id}/recommend`, {}, w.unitAdmin)).json()).toMatchObject({ recommended: true });
    // What the department picks 优秀案例 from: the recommended ones.
    const recommended = (flag: string) => t.get(`/api/cases?recommended=${flag}&q=${encodeURIComponent(words)}`, w.dept).then((r) => r.json().items.map((c: { id: string }) => c.id));
    expect(await recommended('true')).toEqual([created.json().id]);
    expect(await recommended('false')).toEqual([]);
    expect((await t.post(`/api/cases/${created.json().id}/feature`, { featured: true }, w.unitAdmin)).statusCode).toBe(403);
    expect((await t.post(`/api/cases/${created.json().id}/feature`, { featured: true }, w.dept)).json()).toMatchObject({ featured: true });
    // The author hears of both, once each, even when the department features it again.
    expect((await t.post(`/api/cases/${created.json().id}/feature`, { featured: true }, w.dept)).statusCode).toBe(201);
    const told = (await t.get('/api/me/notifications', w.secretaryToken)).json().items.filter((n: { kind: string }) => n.kind.startsWith('case-'));
    expect(told.map((n: { kind: string; link: string }) => `${n.kind} ${n.link}`).sort()).toEqual([
      `case-featured /cases/${created.json().id}`,
      `case-recommended /cases/${created.json().id}`,
    ]);
    const featured = (await t.get('/api/cases?featured=true&pageSize=100', w.readerToken)).json();
    expect(featured.items.map((c: { id: string }) => c.id)).toContain(created.json().id);
    expect(featured.items.every((c: { featured: boolean }) => c.featured)).toBe(true);

    expect((await t.post('/api/cases', { title: '', body: 'x', tags: [] }, w.secretaryToken)).statusCode).toBe(400);
    expect((await t.post('/api/cases', { title: 'x', body: 'x', tags: 'x' }, w.secretaryToken)).statusCode).toBe(400);
    expect((await t.get('/api/cases?featured=maybe', w.readerToken)).statusCode).toBe(400);
  });

  it('moderates like discussions: hidden for all but the department and the unit admin, locked refuses comments', async () => {
    const w = await world();
    const id = (await t.post('/api/cases', { title: '党员积分管理', body: '按月积分。', tags: ['党员管理'] }, w.secretaryToken)).json().id;
    const comment = await t.post(`/api/cases/${id}/comments`, { body: '很有启发，**值得学习**。' }, w.readerToken);
    expect(comment.statusCode).toBe(201);
    expect(comment.json().bodyHtml).toContain('<strong>值得学习</strong>');
    expect((await t.get(`/api/cases/${id}/comments`, w.secretaryToken)).json()).toMatchObject({ total: 1 });

    expect((await t.post(`/api/cases/${id}/lock`, {}, w.otherAdmin)).statusCode).toBe(404);
    expect((await t.post(`/api/cases/${id}/lock`, {}, w.secretaryToken)).statusCode).toBe(403);
    expect((await t.post(`/api/cases/${id}/lock`, {}, w.unitAdmin)).json()).toMatchObject({ locked: true });
    const refused = await t.post(`/api/cases/${id}/comments`, { body: '再说一句' }, w.readerToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CASE_LOCKED');

    expect((await t.post(`/api/cases/${id}/hide`, {}, w.dept)).json()).toMatchObject({ hidden: true });
    expect((await t.get(`/api/cases/${id}`, w.readerToken)).statusCode).toBe(404);
    expect((await t.get(`/api/cases/${id}`, w.otherAdmin)).statusCode).toBe(404);
    expect((await t.get(`/api/cases/${id}`, w.unitAdmin)).statusCode).toBe(200);
    expect((await t.get('/api/cases?pageSize=100', w.readerToken)).json().items.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await t.get('/api/cases?pageSize=100', w.unitAdmin)).json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await t.post(`/api/cases/${id}/hide`, { hidden: false }, w.unitAdmin)).json()).toMatchObject({ hidden: false });
    expect((await t.get(`/api/cases/${id}`, w.readerToken)).statusCode).toBe(200);
  });

  it('counts useful marks once per person, however many mark at the same second', async () => {
    const w = await world();
    const id = (await t.post('/api/cases', { title: '学习强国打卡', body: '每日打卡。', tags: [] }, w.secretaryToken)).json().id;
    const people = await Promise.all(Array.from({ length: 12 }, () => makeUser(t.dataSource, { branch: w.branch })));
    const tokens = await Promise.all(people.map((p) => t.login(p.username)));
    // Each person marks twice, all at once: twelve distinct people, twenty-four requests.
    const answers = await Promise.all([...tokens, ...tokens].map((token) => t.post(`/api/cases/${id}/useful`, {}, token)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
    const again = await t.post(`/api/cases/${id}/useful`, {}, tokens[0]);
    expect(again.json()).toEqual({ usefulCount: 12, markedUseful: true });
    expect((await t.get(`/api/cases/${id}`, tokens[1])).json()).toMatchObject({ usefulCount: 12, markedUseful: true });
    expect((await t.get(`/api/cases/${id}`, w.readerToken)).json()).toMatchObject({ usefulCount: 12, markedUseful: false });
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM case_useful_marks WHERE case_id = ?', [id]);
    expect(Number(n)).toBe(12);
  });

  it('files a case under a kind: chosen, or from its handbook record, and lists by kind', async () => {
    const w = await world();
    const words = `类别${uniq()}`;
    const post = (body: Record<string, unknown>) => t.post('/api/cases', { body: `做法${words}`, tags: [], ...body }, w.secretaryToken);
    const chosen = await post({ title: '社区报到服务', kind: 'serving_people' });
    expect(chosen.json()).toMatchObject({ kind: 'serving_people' });
    expect((await post({ title: '没有类别' })).json()).toMatchObject({ kind: 'other' });
    // From a record: its activity gives the kind (党课 is education, 主题党日 organisational life), unless one is chosen.
    const lecture = await makeRecord(t.dataSource, w.branch, { kind: 'party_lecture', heldAt: new Date('2026-06-10T02:00:00Z'), status: 'accepted', createdBy: w.secretary.id });
    const themeDay = await makeRecord(t.dataSource, w.branch, { kind: 'theme_day', heldAt: new Date('2026-06-12T02:00:00Z'), status: 'accepted', createdBy: w.secretary.id });
    const own = await makeRecord(t.dataSource, w.branch, { kind: 'other', heldAt: new Date('2026-06-14T02:00:00Z'), status: 'accepted', createdBy: w.secretary.id });
    expect((await post({ title: '书记讲党课', recordId: lecture.id })).json()).toMatchObject({ kind: 'member_education', recordId: lecture.id });
    expect((await post({ title: '主题党日', recordId: themeDay.id })).json()).toMatchObject({ kind: 'organization_life' });
    expect((await post({ title: '支部自选活动', recordId: own.id })).json()).toMatchObject({ kind: 'other' });
    expect((await post({ title: '党日宣讲', recordId: themeDay.id, kind: 'publicity' })).json()).toMatchObject({ kind: 'publicity' });

    const byKind = (await t.get(`/api/cases?kind=serving_people&q=${encodeURIComponent(words)}`, w.readerToken)).json();
    expect(byKind.items.map((c: { id: string; kind: string }) => [c.id, c.kind])).toEqual([[chosen.json().id, 'serving_people']]);
    const education = (await t.get(`/api/cases?kind=member_education&q=${encodeURIComponent(words)}`, w.readerToken)).json();
    expect(education.items.map((c: { title: string }) => c.title)).toEqual(['书记讲党课']);

    const unknownKind = await post({ title: '乱写类别', kind: '组织生活' });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json().errors[0]).toMatchObject({ field: 'kind' });
    expect((await t.get('/api/cases?kind=parties', w.readerToken)).statusCode).toBe(400);
  });

  it('carries the author’s photos and files, checked by their bytes and read by whoever reads the case', async () => {
    const w = await world();
    const id = (await t.post('/api/cases', { title: '党员志愿服务队', body: '每月一次。', tags: [], kind: 'serving_people' }, w.secretaryToken)).json().id;
    const upload = (name: string, bytes: Buffer, type: string, token = w.secretaryToken, caseId = id) =>
      t.request({ method: 'POST', url: `/api/cases/${caseId}/files`, token, ...multipartFile('file', name, bytes, type) });
    const png = pngImage(40, 30, [200, 30, 30]);
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('服务台账').addRow(['日期', '人数']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());

    const sent = [
      await upload('合影.png', png, 'image/png'),
      await upload('IMG_0001.jpg', JPEG_PHOTO, 'image/jpeg'),
      await upload('IMG_0002.HEIC', HEIC_PHOTO, 'image/heic'),
      // A document's name says nothing: the bytes say PDF or Excel.
      await upload('服务方案', PDF_SCAN, 'application/octet-stream'),
      await upload('服务台账.xlsx', xlsx, 'application/octet-stream'),
    ];
    expect(sent.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(sent.map((r) => [r.json().kind, r.json().mimeType, r.json().fileName])).toEqual([
      ['photo', 'image/png', '合影.png'],
      ['photo', 'image/jpeg', 'IMG_0001.jpg'],
      ['photo', 'image/heic', 'IMG_0002.HEIC'],
      ['document', 'application/pdf', '服务方案'],
      ['document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '服务台账.xlsx'],
    ]);
    const detail = (await t.get(`/api/cases/${id}`, w.readerToken)).json();
    expect(detail.files.map((f: { id: string }) => f.id)).toEqual(sent.map((r) => r.json().id));
    expect(detail.files[0].url).toBe(`/api/cases/${id}/files/${sent[0].json().id}`);

    // Text named .jpg and a program named .pdf are refused by what they are, in Chinese.
    const fake = await upload('photo.jpg', Buffer.from('这不是照片'.repeat(20)), 'image/jpeg');
    expect(fake.statusCode).toBe(415);
    expect(fake.json()).toMatchObject({ code: 'CASE_FILE_TYPE_NOT_ALLOWED' });
    expect(fake.json().message).toMatch(/^只接受照片/);
    expect((await upload('方案.pdf', Buffer.from('MZ\x90\x00\x03'.padEnd(400, '\x00'), 'binary'), 'application/pdf')).statusCode).toBe(415);
    const tooBig = await upload('大照片.png', Buffer.concat([png, Buffer.alloc(20 * 1024 * 1024 + 1)]), 'image/png');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('FILE_TOO_LARGE');
    // Only the author adds or removes: a branch mate is told so, an admin too; an unknown case is a 404.
    expect((await upload('合影.png', png, 'image/png', w.mateToken)).json()).toMatchObject({ code: 'CASE_AUTHOR_ONLY' });
    expect((await upload('合影.png', png, 'image/png', w.mateToken)).statusCode).toBe(403);
    expect((await upload('合影.png', png, 'image/png', w.secretaryToken, '999999999')).statusCode).toBe(404);
    expect((await t.delete(sent[1].json().url, w.mateToken)).statusCode).toBe(403);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM case_files WHERE case_id = ?', [id]);
    expect(Number(n)).toBe(5);

    // Readers of the case read its files: a photo to be shown, a document to be saved, the bytes as sent.
    const photo = await t.get(sent[0].json().url, w.readerToken);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.headers['content-disposition']).toMatch(/^inline;.*filename\*=UTF-8''%E5%90%88%E5%BD%B1\.png/);
    expect(photo.rawPayload.equals(png)).toBe(true);
    const document = await t.get(sent[4].json().url, w.otherAdmin);
    expect(document.headers['content-disposition']).toMatch(/^attachment;/);
    expect(document.rawPayload.equals(xlsx)).toBe(true);
    expect((await t.get(`/api/cases/${id}/files/999999999`, w.readerToken)).statusCode).toBe(404);
    const elsewhere = (await t.post('/api/cases', { title: '另一个案例', body: '做法。', tags: [] }, w.secretaryToken)).json().id;
    expect((await t.get(`/api/cases/${elsewhere}/files/${sent[0].json().id}`, w.readerToken)).statusCode).toBe(404);

    // Hidden, the case's files are a 404 to all but its moderators, its author included.
    expect((await t.post(`/api/cases/${id}/hide`, {}, w.unitAdmin)).statusCode).toBe(201);
    expect((await t.get(sent[0].json().url, w.readerToken)).statusCode).toBe(404);
    expect((await t.get(sent[0].json().url, w.secretaryToken)).statusCode).toBe(404);
    expect((await t.get(sent[0].json().url, w.otherAdmin)).statusCode).toBe(404);
    expect((await t.get(sent[0].json().url, w.unitAdmin)).statusCode).toBe(200);
    expect((await t.get(sent[0].json().url, w.dept)).statusCode).toBe(200);
    expect((await upload('合影.png', png, 'image/png')).statusCode).toBe(404);
    expect((await t.post(`/api/cases/${id}/hide`, { hidden: false }, w.unitAdmin)).statusCode).toBe(201);

    // The author removes a file: gone from the case and from storage.
    const [{ key }] = await t.dataSource.query('SELECT storage_key AS `key` FROM case_files WHERE id = ?', [sent[1].json().id]);
    expect(await t.app.get(StorageDriver).stat(key)).toEqual({ size: JPEG_PHOTO.length });
    expect((await t.delete(sent[1].json().url, w.secretaryToken)).statusCode).toBe(204);
    expect(await t.app.get(StorageDriver).stat(key)).toBeNull();
    expect((await t.get(sent[1].json().url, w.secretaryToken)).statusCode).toBe(404);
    expect((await t.get(`/api/cases/${id}`, w.secretaryToken)).json().files).toHaveLength(4);
  });

  it('takes at most twenty files on a case, however many arrive at once', async () => {
    const w = await world();
    const id = (await t.post('/api/cases', { title: '活动照片', body: '照片。', tags: [] }, w.secretaryToken)).json().id;
    const png = pngImage();
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.request({ method: 'POST', url: `/api/cases/${id}/files`, token: w.secretaryToken, ...multipartFile('file', `照片${i}.png`, png, 'image/png') })),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(20);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused.map((a) => [a.statusCode, a.json().code])).toEqual(refused.map(() => [409, 'CASE_FILES_FULL']));
    expect((await t.get(`/api/cases/${id}`, w.secretaryToken)).json().files).toHaveLength(20);
  });
});
