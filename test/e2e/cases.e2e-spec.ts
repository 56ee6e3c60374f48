import { makeRecord } from '../factories/branch-work.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
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
    expect((await t.post(`/api/cases/${created.json().id}/feature`, { featured: true }, w.unitAdmin)).statusCode).toBe(403);
    expect((await t.post(`/api/cases/${created.json().id}/feature`, { featured: true }, w.dept)).json()).toMatchObject({ featured: true });
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
});
