import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('suggestion box 建言献策 (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Who sees what, anonymity and the author's notification are tested on the service (test/services/suggestions.service.int-spec.ts).
  it('answers each route with its status and shape: created, read, refused to a unit admin, unknown to another unit, bad input', async () => {
    const unit = await makeUnit(t.dataSource);
    const other = await makeUnit(t.dataSource);
    const author = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, unit) });
    const token = await t.login(author.username);
    const dept = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    const otherAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: other.id })).username);

    const open = await t.post('/api/suggestions', { title: '建议增加案例教学', body: '希望多安排支部工作案例的分组讨论。' }, token);
    expect(open.statusCode).toBe(201);
    expect(open.json()).toMatchObject({ status: 'received', author: { id: author.id } });
    const anonymous = (await t.post('/api/suggestions', { title: '匿名建议', body: '集中培训时间能否调整到周五下午？', anonymous: true }, token)).json();

    const seenByUnit = (await t.get('/api/suggestions', unitAdmin)).json();
    expect(seenByUnit).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect((await t.get(`/api/suggestions/${anonymous.id}`, otherAdmin)).statusCode).toBe(404);

    // Suggestions go to the department: a unit admin reads their unit's but does not answer them (403), and
    // another unit's does not exist for them (404).
    expect((await t.post(`/api/suggestions/${anonymous.id}/reply`, { reply: '已转组织部', status: 'received' }, otherAdmin)).statusCode).toBe(404);
    const byUnit = await t.post(`/api/suggestions/${anonymous.id}/reply`, { reply: '已转组织部研究。', status: 'received' }, unitAdmin);
    expect(byUnit.statusCode).toBe(403);
    expect(byUnit.json().code).toBe('DEPARTMENT_ONLY');
    const replied = await t.post(`/api/suggestions/${open.json().id}/reply`, { reply: '感谢建议，下期培训将增加案例研讨。', status: 'adopted' }, dept);
    expect(replied.statusCode).toBe(201);
    expect(replied.json()).toMatchObject({ status: 'adopted', reply: '感谢建议，下期培训将增加案例研讨。' });
    expect((await t.get('/api/suggestions?status=adopted', token)).json().items.map((s: { id: string }) => s.id)).toEqual([open.json().id]);

    expect((await t.post('/api/suggestions', { title: '', body: 'x' }, token)).statusCode).toBe(400);
    expect((await t.post(`/api/suggestions/${open.json().id}/reply`, { reply: 'x', status: 'maybe' }, dept)).statusCode).toBe(400);
    expect((await t.post('/api/suggestions', { title: '课程', body: '关于某班', courseId: '999999999' }, token)).statusCode).toBe(404);
  });
});
