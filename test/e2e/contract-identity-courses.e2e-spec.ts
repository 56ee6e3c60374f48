import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import type { Response } from 'light-my-request';
import { Redis } from 'ioredis';
import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { REDIS } from '../../src/redis/redis';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/**
 * The "Identity and organization", "Courses and activities" and "Operations" rows of API.md, called exactly as
 * written there (paths, bodies, status codes and answer fields), plus its general rules: the error shape, 401
 * without a token, 403 for a wrong role, 404 for a unit admin asking about another unit's data, ids as strings
 * and times as ISO-8601 strings with an offset. Feature tests go deeper; this one guards the contract.
 */

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' };
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY = 86400e3;

/** `{statusCode, message, error}` with the documented status. */
function expectError(response: Response, status: number): void {
  expect({ route: response.raw.req?.url, status: response.statusCode }).toEqual({ route: response.raw.req?.url, status });
  const body = response.json();
  expect(body).toMatchObject({ statusCode: status, error: REASONS[status], message: expect.anything() });
  expect(typeof body.message === 'string' || Array.isArray(body.message)).toBe(true);
}

/** The message says which field is wrong. */
/** What a 400 says: its message (Chinese, for people) and the fields its input problems name (for programs). */
function messageOf(response: Response): string {
  const { message, errors } = response.json();
  const fields = ((errors ?? []) as { field?: string }[]).map((e) => e.field ?? '');
  return [...(Array.isArray(message) ? message : [String(message)]), ...fields].join('; ');
}

/** Ids (`id`, `…Id`, `…Ids`) are strings and times (`…At`) ISO strings with an offset, anywhere in an answer. */
function expectContractValues(value: unknown, path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => expectContractValues(item, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, field] of Object.entries(value)) {
    const where = `${path}.${key}`;
    if ((key === 'id' || key.endsWith('Id')) && field !== null) expect({ [where]: typeof field }).toEqual({ [where]: 'string' });
    if (key.endsWith('Ids') && Array.isArray(field)) for (const id of field) expect({ [where]: typeof id }).toEqual({ [where]: 'string' });
    if (key.endsWith('At') && field !== null) expect({ [where]: field }).toEqual({ [where]: expect.stringMatching(ISO_WITH_OFFSET) });
    expectContractValues(field, where);
  }
}

/** 2xx with the documented status, and contract-shaped values in the body. */
function ok(response: Response, status: number): any {
  if (response.statusCode !== status) throw new Error(`${response.raw.req?.method} ${response.raw.req?.url}: expected ${status}, got ${response.statusCode} ${response.body}`);
  const body = response.json();
  expectContractValues(body);
  return body;
}

/** `METHOD /path/:id` for every operation of an OpenAPI document. */
function documented(paths: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, ':id')}`));
}

describe('API.md contract: identity, organization, courses and operations (e2e)', () => {
  let t: TestApp;
  let admin: string; // the department
  let unitAdmin: string; // admin of unitA
  let teacher: User;
  let instructor: string;
  let otherInstructor: string;
  let unitA: Unit;
  let unitB: Unit;
  let branchA: Branch;
  let branchB: Branch;
  let secA: User;
  let secA2: User;
  let secB: User;
  let secAToken: string;
  let secBToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    unitA = await makeUnit(t.dataSource);
    unitB = await makeUnit(t.dataSource);
    branchA = await makeBranch(t.dataSource, unitA);
    branchB = await makeBranch(t.dataSource, unitB);
    unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unitA.id })).username);
    teacher = await makeUser(t.dataSource, { role: 'instructor' });
    instructor = await t.login(teacher.username);
    otherInstructor = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);
    secA = await makeUser(t.dataSource, { branch: branchA });
    secA2 = await makeUser(t.dataSource, { branch: branchA });
    secB = await makeUser(t.dataSource, { branch: branchB });
    secAToken = await t.login(secA.username);
    secBToken = await t.login(secB.username);
  });
  afterAll(() => t.close());

  /** Every route of the three sections, with a body that would be valid. */
  const routes = (courseId = '1', activityId = '1'): Array<[string, string, unknown?]> => [
    ['GET', '/api/me'],
    ['POST', '/api/units', { name: '单位', code: 'U1' }],
    ['POST', '/api/branches', { unitId: '1', name: '支部', code: 'B1' }],
    ['POST', '/api/users', { username: 'x', name: 'x', role: 'secretary', password: TEST_PASSWORD }],
    ['POST', '/api/users/import'],
    ['GET', '/api/users'],
    ['POST', '/api/courses', { title: 'x', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + DAY).toISOString() }],
    ['PATCH', `/api/courses/${courseId}`, { title: 'x' }],
    ['POST', `/api/courses/${courseId}/publish`, {}],
    ['GET', '/api/courses'],
    ['GET', `/api/courses/${courseId}`],
    ['POST', `/api/courses/${courseId}/sections`, { title: 'x' }],
    ['POST', `/api/courses/${courseId}/activities`, { type: 'discussion', sectionId: '1', title: 'x', required: true, creditHours: 1, prompt: 'x' }],
    ['PATCH', `/api/activities/${activityId}`, { title: 'x' }],
    ['POST', `/api/courses/${courseId}/enrollments`, { userIds: ['1'] }],
    ['GET', `/api/courses/${courseId}/schedule.ics`],
    ['GET', `/api/courses/${courseId}/progress`],
  ];
  const call = (method: string, url: string, payload: unknown, token?: string) =>
    t.request({ method: method as 'GET', url, payload: payload as never, token });

  describe('general rules', () => {
    it('401 in the error shape without a token or with a bad one, on every route', async () => {
      for (const [method, url, payload] of routes()) {
        expectError(await call(method, url, payload), 401);
        expectError(await call(method, url, payload, 'not-a-token'), 401);
      }
    });

    it('403 in the error shape for a wrong role', async () => {
      // Admin-only routes refuse secretaries and instructors.
      for (const token of [secAToken, instructor]) {
        expectError(await t.post('/api/units', { name: `单位${uniq()}`, code: uniq('U') }, token), 403);
        expectError(await t.post('/api/branches', { unitId: unitA.id, name: `支部${uniq()}`, code: uniq('B') }, token), 403);
        expectError(await t.post('/api/users', { username: uniq('u'), name: '某人', role: 'secretary', password: TEST_PASSWORD }, token), 403);
        expectError(await t.request({ method: 'POST', url: '/api/users/import', token, ...multipartFile('file', 'r.csv', '工号,姓名\r\n1,张三') }), 403);
        expectError(await t.get('/api/users', token), 403);
      }
      // Course management is for instructors and admins.
      expectError(await t.post('/api/courses', { title: `课程${uniq()}`, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + DAY).toISOString() }, secAToken), 403);
      const courseId = ok(await t.post('/api/courses', { title: `课程${uniq()}`, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() }, instructor), 201).id;
      const sectionId = ok(await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, instructor), 201).id;
      const activityId = ok(await t.post(`/api/courses/${courseId}/activities`, { type: 'discussion', sectionId, title: '研讨', required: true, creditHours: 1, prompt: '谈体会' }, instructor), 201).id;
      expectError(await t.patch(`/api/courses/${courseId}`, { title: '改' }, secAToken), 403);
      expectError(await t.post(`/api/courses/${courseId}/publish`, {}, secAToken), 403);
      expectError(await t.post(`/api/courses/${courseId}/sections`, { title: '二' }, secAToken), 403);
      expectError(await t.post(`/api/courses/${courseId}/activities`, { type: 'discussion', sectionId, title: '研讨', required: true, creditHours: 1, prompt: 'x' }, secAToken), 403);
      expectError(await t.patch(`/api/activities/${activityId}`, { title: '改' }, secAToken), 403);
      expectError(await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secA.id] }, secAToken), 403);
      // Progress is the enrolled secretary's own.
      expectError(await t.get(`/api/courses/${courseId}/progress`, admin), 403);
      expectError(await t.get(`/api/courses/${courseId}/progress`, instructor), 403);
    });

    it('400 names the field for bad input, never 500', async () => {
      const missingCode = await t.post('/api/units', { name: `单位${uniq()}` }, admin);
      expectError(missingCode, 400);
      expect(messageOf(missingCode)).toContain('code');
      expect(messageOf(missingCode)).toContain('请填写编码');
      const missingUnit = await t.post('/api/branches', { name: `支部${uniq()}`, code: uniq('B') }, admin);
      expectError(missingUnit, 400);
      expect(messageOf(missingUnit)).toContain('unitId');
      const badRole = await t.post('/api/users', { username: uniq('u'), name: '某人', role: 'king', password: TEST_PASSWORD }, admin);
      expectError(badRole, 400);
      expect(messageOf(badRole)).toContain('role');
      const badDate = await t.post('/api/courses', { title: `课程${uniq()}`, startsAt: 'next monday', endsAt: new Date().toISOString() }, admin);
      expectError(badDate, 400);
      expect(messageOf(badDate)).toContain('startsAt');
      expectError(await t.get('/api/courses/not-an-id', admin), 404);
      expectError(await t.patch('/api/activities/not-an-id', { title: 'x' }, admin), 404);
      const noLogin = await t.post('/api/auth/login', { username: 'only-a-name' });
      expect(noLogin.statusCode).toBeLessThan(500);
      expect([400, 401]).toContain(noLogin.statusCode);
    });

    it('404 for a unit admin asking about another unit’s data', async () => {
      // The unit admin works in their own unit...
      ok(await t.post('/api/branches', { unitId: unitA.id, name: `支部${uniq()}`, code: uniq('B') }, unitAdmin), 201);
      ok(await t.post('/api/users', { username: uniq('u'), name: '本单位', role: 'secretary', password: TEST_PASSWORD, branchId: branchA.id }, unitAdmin), 201);
      // ...and another unit's branches, people and report rows answer 404.
      expectError(await t.post('/api/branches', { unitId: unitB.id, name: `支部${uniq()}`, code: uniq('B') }, unitAdmin), 404);
      expectError(await t.post('/api/users', { username: uniq('u'), name: '外单位', role: 'secretary', password: TEST_PASSWORD, branchId: branchB.id }, unitAdmin), 404);
      expectError(await t.post('/api/users', { username: uniq('u'), name: '外单位', role: 'instructor', password: TEST_PASSWORD, unitId: unitB.id }, unitAdmin), 404);
      const listed = ok(await t.get('/api/users?pageSize=100', unitAdmin), 200);
      expect(listed.items.every((u: { id: string }) => u.id !== secB.id)).toBe(true);
      expect(ok(await t.get(`/api/users?q=${encodeURIComponent(secB.name)}`, unitAdmin), 200)).toMatchObject({ items: [], total: 0 });
      // Enrolling another unit's people is asking about their data too.
      const courseId = ok(await t.post('/api/courses', { title: `课程${uniq()}`, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() }, admin), 201).id;
      ok(await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secA2.id] }, unitAdmin), 200);
      const foreign = [
        await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secB.id] }, unitAdmin),
        await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [branchB.id] }, unitAdmin),
        await t.post(`/api/courses/${courseId}/enrollments`, { unitIds: [unitB.id] }, unitAdmin),
      ];
      expect(foreign.map((r) => r.statusCode)).toEqual([404, 404, 404]);
      for (const response of foreign) expectError(response, 404);
    });

    it('a unit admin may do everything an admin may with courses (API.md: "instructor, admin" / "its instructors, admin")', async () => {
      const period = { startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() };
      const created = await t.post('/api/courses', { title: `单位课程${uniq()}`, ...period }, unitAdmin);
      // The department's course: a unit admin edits its design as an admin would.
      const courseId = ok(await t.post('/api/courses', { title: `部里课程${uniq()}`, ...period }, admin), 201).id;
      const sectionId = ok(await t.post(`/api/courses/${courseId}/sections`, { title: '一' }, admin), 201).id;
      const activityId = ok(await t.post(`/api/courses/${courseId}/activities`, { sectionId, type: 'discussion', title: '研讨', required: true, creditHours: 1, prompt: '谈' }, admin), 201).id;
      const answers = {
        'POST /api/courses': created.statusCode,
        'PATCH /api/courses/:id': (await t.patch(`/api/courses/${courseId}`, { description: '单位补充' }, unitAdmin)).statusCode,
        'POST /api/courses/:id/sections': (await t.post(`/api/courses/${courseId}/sections`, { title: '二' }, unitAdmin)).statusCode,
        'POST /api/courses/:id/activities': (await t.post(`/api/courses/${courseId}/activities`, { sectionId, type: 'discussion', title: '研讨二', required: false, creditHours: 1, prompt: '谈' }, unitAdmin)).statusCode,
        'PATCH /api/activities/:id': (await t.patch(`/api/activities/${activityId}`, { title: '研讨（改）' }, unitAdmin)).statusCode,
        'POST /api/courses/:id/publish': (await t.post(`/api/courses/${courseId}/publish`, {}, unitAdmin)).statusCode,
      };
      expect(answers).toEqual({
        'POST /api/courses': 201,
        'PATCH /api/courses/:id': 200,
        'POST /api/courses/:id/sections': 201,
        'POST /api/courses/:id/activities': 201,
        'PATCH /api/activities/:id': 200,
        'POST /api/courses/:id/publish': 200,
      });
    });
  });

  describe('Identity and organization', () => {
    it('POST /api/auth/login → 200 {accessToken, user: {id, username, name, role}}; 401 on bad credentials; repeated failures → 429', async () => {
      const person = await makeUser(t.dataSource, { branch: branchA });
      const login = (username: string, password: string) =>
        t.request({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });

      const body = ok(await login(person.username, TEST_PASSWORD), 200);
      expect(body).toMatchObject({ accessToken: expect.any(String), user: { id: person.id, username: person.username, name: person.name, role: 'secretary' } });
      expect(JSON.stringify(body)).not.toMatch(/passwordHash|password123/);
      expect(ok(await t.get('/api/me', body.accessToken), 200).id).toBe(person.id);

      expectError(await login(person.username, 'wrong-password'), 401);
      expectError(await login(`nobody${uniq()}`, TEST_PASSWORD), 401);

      const victim = await makeUser(t.dataSource);
      let last: Response | undefined;
      for (let i = 0; i < 20; i++) {
        last = await login(victim.username, `wrong-${i}`);
        if (last.statusCode === 429) break;
        expectError(last, 401);
      }
      expectError(last!, 429);
    });

    it('GET /api/me → {id, username, name, role, email, branch: {id, name} or null, unit: {id, name} or null}', async () => {
      const me = ok(await t.get('/api/me', secAToken), 200);
      expect(me).toMatchObject({
        id: secA.id,
        username: secA.username,
        name: secA.name,
        role: 'secretary',
        email: secA.email,
        branch: { id: branchA.id, name: branchA.name },
        unit: { id: unitA.id, name: unitA.name },
      });
      expect(ok(await t.get('/api/me', unitAdmin), 200)).toMatchObject({ role: 'admin', branch: null, unit: { id: unitA.id, name: unitA.name } });
      const department = ok(await t.get('/api/me', admin), 200);
      expect(department).toMatchObject({ role: 'admin', branch: null, unit: null });
      expect(department).toHaveProperty('email');
      expect(JSON.stringify(me)).not.toMatch(/passwordHash/);
    });

    it('POST /api/units {name, code} → 201 {id, name, code}', async () => {
      const name = `新建学院党委${uniq()}`;
      const code = uniq('U');
      const unit = ok(await t.post('/api/units', { name, code }, admin), 201);
      expect(unit).toMatchObject({ id: expect.any(String), name, code });
      expectError(await t.post('/api/units', { name: `另一个${uniq()}`, code }, admin), 409);
    });

    it('POST /api/branches {unitId, name, code} → 201 {id, unitId, name, code}', async () => {
      const name = `教工第一党支部${uniq()}`;
      const code = uniq('B');
      const branch = ok(await t.post('/api/branches', { unitId: unitA.id, name, code }, admin), 201);
      expect(branch).toMatchObject({ id: expect.any(String), unitId: unitA.id, name, code });
    });

    it('POST /api/users {username, name, role, password, email?, branchId?, unitId?} → 201 user, never the password or hash', async () => {
      const username = uniq('new');
      const password = `Secret-${uniq()}`;
      const body = { username, name: '新书记', role: 'secretary', password, email: `${username}@example.edu.cn`, branchId: branchA.id };
      const created = ok(await t.post('/api/users', body, admin), 201);
      expect(created).toMatchObject({ id: expect.any(String), username, name: '新书记', role: 'secretary', email: body.email });
      expect(created).not.toHaveProperty('password');
      expect(created).not.toHaveProperty('passwordHash');
      expect(JSON.stringify(created)).not.toContain(password);
      expect(JSON.stringify(created)).not.toMatch(/\$argon2|\$2[aby]\$|scrypt/);
      // The password given is the one that signs in; the branch places the person in its unit.
      const token = ok(await t.post('/api/auth/login', { username, password }), 200).accessToken;
      expect(ok(await t.get('/api/me', token), 200)).toMatchObject({ branch: { id: branchA.id }, unit: { id: unitA.id } });

      const teacherBody = ok(await t.post('/api/users', { username: uniq('t'), name: '新教师', role: 'instructor', password, unitId: unitB.id }, admin), 201);
      expect(teacherBody).toMatchObject({ role: 'instructor' });
      expectError(await t.post('/api/users', { ...body, name: '重名' }, admin), 409);
    });

    it('POST /api/users/import (multipart `file`, CSV) → 200 {created, updated, errors: [{row, message}]}; creates units and branches; re-import changes nothing', async () => {
      const tag = uniq();
      const unitName = `名册学院党委${tag}`;
      const branchName = `名册第一党支部${tag}`;
      const csv = [
        '工号,姓名,单位,支部,邮箱,角色',
        `IM${tag}1,名册甲${tag},${unitName},${branchName},im${tag}1@example.edu.cn,secretary`,
        `IM${tag}2,名册乙${tag},${unitName},${branchName},im${tag}2@example.edu.cn,secretary`,
        `IM${tag}3,名册丙${tag},${unitName},,im${tag}3@example.edu.cn,instructor`,
      ].join('\r\n');
      const upload = (content: string, token = admin) => t.request({ method: 'POST', url: '/api/users/import', token, ...multipartFile('file', 'roster.csv', content, 'text/csv') });

      const first = ok(await upload(csv), 200);
      expect(first).toMatchObject({ created: 3, updated: 0, errors: [] });
      expect(await t.dataSource.getRepository(Unit).countBy({ name: unitName })).toBe(1);
      const unit = await t.dataSource.getRepository(Unit).findOneByOrFail({ name: unitName });
      expect(await t.dataSource.getRepository(Branch).countBy({ unitId: unit.id, name: branchName })).toBe(1);
      const listed = ok(await t.get(`/api/users?q=${encodeURIComponent(`名册甲${tag}`)}`, admin), 200);
      expect(listed).toMatchObject({ total: 1, items: [{ username: `IM${tag}1`, name: `名册甲${tag}`, role: 'secretary', email: `im${tag}1@example.edu.cn` }] });
      expect(ok(await t.get(`/api/users?q=${encodeURIComponent(`名册丙${tag}`)}`, admin), 200).items[0]).toMatchObject({ role: 'instructor' });

      const usersBefore = await t.dataSource.getRepository(User).count();
      const again = ok(await upload(csv), 200);
      expect(again).toMatchObject({ created: 0, updated: 0, errors: [] });
      expect(await t.dataSource.getRepository(User).count()).toBe(usersBefore);
      expect(await t.dataSource.getRepository(Unit).countBy({ name: unitName })).toBe(1);
      expect(await t.dataSource.getRepository(Branch).countBy({ unitId: unit.id, name: branchName })).toBe(1);

      const changed = ok(await upload(csv.replace(`名册乙${tag}`, `名册乙改${tag}`)), 200);
      expect(changed).toMatchObject({ created: 0, updated: 1, errors: [] });

      // The same columns in an XLSX workbook.
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('名册');
      sheet.addRow(['工号', '姓名', '单位', '支部', '邮箱', '角色']);
      sheet.addRow([`IX${tag}1`, `表格甲${tag}`, unitName, `表格党支部${tag}`, `ix${tag}1@example.edu.cn`, 'secretary']);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      const fromXlsx = ok(await t.request({ method: 'POST', url: '/api/users/import', token: admin, ...multipartFile('file', 'roster.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') }), 200);
      expect(fromXlsx).toMatchObject({ created: 1, updated: 0, errors: [] });
      expect(await t.dataSource.getRepository(Branch).countBy({ unitId: unit.id, name: `表格党支部${tag}` })).toBe(1);

      const bad = ok(await upload(`${csv}\r\nIM${tag}4,坏邮箱${tag},${unitName},${branchName},not-an-email,secretary`), 200);
      expect(bad.errors).toEqual([{ row: expect.any(Number), message: expect.any(String) }]);
      expect(bad.errors[0].message).toContain('not-an-email');
    });

    it('GET /api/users ?role=&branchId=&q= → {items: [...], total}', async () => {
      const all = ok(await t.get('/api/users', admin), 200);
      expect(all).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
      expect(all.items.length).toBeLessThanOrEqual(20); // lists default to 20 a page
      const page1 = ok(await t.get('/api/users?pageSize=1&page=1', admin), 200);
      const page2 = ok(await t.get('/api/users?pageSize=1&page=2', admin), 200);
      expect(page1.items).toHaveLength(1);
      expect(page1.total).toBeGreaterThan(1);
      expect(page2.items[0].id).not.toBe(page1.items[0].id);

      const inBranch = ok(await t.get(`/api/users?role=secretary&branchId=${branchA.id}&pageSize=100`, admin), 200);
      const ids = inBranch.items.map((u: { id: string }) => u.id);
      expect(ids).toEqual(expect.arrayContaining([secA.id, secA2.id]));
      expect(ids).not.toContain(secB.id);
      expect(inBranch.items.every((u: { role: string }) => u.role === 'secretary')).toBe(true);
      expect(inBranch.total).toBe(inBranch.items.length);

      const byName = ok(await t.get(`/api/users?q=${encodeURIComponent(secA.name)}`, admin), 200);
      expect(byName).toMatchObject({ total: 1, items: [{ id: secA.id, username: secA.username, name: secA.name, role: 'secretary' }] });
      expect(JSON.stringify(byName)).not.toMatch(/passwordHash/);
      expect(ok(await t.get(`/api/users?role=instructor&q=${encodeURIComponent(secA.name)}`, admin), 200)).toMatchObject({ items: [], total: 0 });
      expectError(await t.get('/api/users?role=king', admin), 400);
    });
  });

  describe('Courses and activities', () => {
    let courseId: string;
    let sectionId: string;
    const activityIds: Record<string, string> = {};
    // Whole minutes: iCalendar times have no milliseconds.
    const starts = new Date(Math.floor((Date.now() - 2 * DAY) / 60_000) * 60_000);
    const ends = new Date(Date.now() + 60 * DAY);
    const at = (days: number, hours = 0) => new Date(starts.getTime() + days * DAY + hours * 3600e3).toISOString();

    it('POST /api/courses {title, description?, startsAt, endsAt, requiredCreditHours?} → 201 {id, status: "draft", ...}', async () => {
      const title = `契约课程${uniq()}`;
      const created = ok(
        await t.post('/api/courses', { title, description: '2026年度党支部书记示范培训', startsAt: '2026-09-01T08:00:00+08:00', endsAt: ends.toISOString(), requiredCreditHours: 6 }, instructor),
        201,
      );
      expect(created).toMatchObject({ id: expect.any(String), status: 'draft', title, description: '2026年度党支部书记示范培训', requiredCreditHours: 6 });
      expect(new Date(created.startsAt).toISOString()).toBe('2026-09-01T00:00:00.000Z');
      expect(created.startsAt).toMatch(ISO_WITH_OFFSET);
      // Optional fields may be left out.
      courseId = ok(await t.post('/api/courses', { title: `${title}（正式）`, startsAt: starts.toISOString(), endsAt: ends.toISOString() }, instructor), 201).id;
    });

    it('PATCH /api/courses/:id (partial course) for its instructors and admins', async () => {
      const patched = ok(await t.patch(`/api/courses/${courseId}`, { description: '补充说明', requiredCreditHours: 5 }, instructor), 200);
      expect(patched).toMatchObject({ id: courseId, description: '补充说明', requiredCreditHours: 5, status: 'draft' });
      expect(ok(await t.patch(`/api/courses/${courseId}`, { requiredCreditHours: 4 }, admin), 200)).toMatchObject({ id: courseId, requiredCreditHours: 4, description: '补充说明' });
      const notHis = await t.patch(`/api/courses/${courseId}`, { description: '越权' }, otherInstructor);
      expect([403, 404]).toContain(notHis.statusCode);
      expectError(notHis, notHis.statusCode);
      expectError(await t.patch(`/api/courses/${courseId}`, { startsAt: 'soon' }, admin), 400);
    });

    it('POST /api/courses/:id/sections {title, position?} → 201 section', async () => {
      const first = ok(await t.post(`/api/courses/${courseId}/sections`, { title: '九月：理论学习' }, instructor), 201);
      expect(first).toMatchObject({ id: expect.any(String), title: '九月：理论学习', position: expect.any(Number) });
      sectionId = first.id;
      const second = ok(await t.post(`/api/courses/${courseId}/sections`, { title: '十月：实务研讨', position: 2 }, admin), 201);
      expect(second).toMatchObject({ id: expect.any(String), title: '十月：实务研讨', position: 2 });
    });

    it('POST /api/courses/:id/activities {type, sectionId, title, required, creditHours, opensAt?, dueAt?, ...by type} → 201 activity, for every type', async () => {
      const bodies: Record<string, Record<string, unknown>> = {
        video: { type: 'video', title: '视频：党章导读', required: true, creditHours: 1, durationSeconds: 10, completionPercent: 80, opensAt: at(0), dueAt: at(10) },
        reading: { type: 'reading', title: '阅读：支部工作条例', required: true, creditHours: 1.5, body: '# 条例\n\n认真阅读。', minReflectionLength: 20, reflectionNeedsApproval: true, dueAt: at(12) },
        quiz: {
          type: 'quiz', title: '测验：基础知识', required: true, creditHours: 1, passPercent: 60, maxAttempts: 2, timeLimitMinutes: 15,
          questions: [
            { kind: 'single', prompt: '支部委员会会议一般多久召开一次？', options: ['每月', '每年'], answer: 0, points: 2 },
            { kind: 'multiple', prompt: '“三会一课”包括？', options: ['支部党员大会', '支部委员会', '党小组会', '茶话会'], answer: [0, 1, 2] },
            { kind: 'truefalse', prompt: '预备期为一年。', answer: true },
            { kind: 'text', prompt: '党的根本宗旨是全心全意为人民服务，请填写“为人民服务”前的四个字。', answer: ['全心全意'] },
          ],
        },
        discussion: { type: 'discussion', title: '研讨：如何开好组织生活会', required: false, creditHours: 1, prompt: '结合本支部实际谈谈体会。', minPosts: 1, minReplies: 1 },
        session: { type: 'session', title: '专题辅导报告', required: true, creditHours: 2, startsAt: at(5, 6), endsAt: at(5, 8), location: '党校报告厅', speaker: '组织部 王老师' },
      };
      for (const [type, body] of Object.entries(bodies)) {
        const created = ok(await t.post(`/api/courses/${courseId}/activities`, { sectionId, ...body }, instructor), 201);
        expect(created).toMatchObject({ id: expect.any(String), type, title: body.title, required: body.required, creditHours: body.creditHours });
        activityIds[type] = created.id;
      }
      // The quiz's answers are the instructor's to see, but the activity answer is never 500 and types are checked.
      expectError(await t.post(`/api/courses/${courseId}/activities`, { sectionId, type: 'podcast', title: '未知', required: true, creditHours: 1 }, instructor), 400);
      expectError(await t.post(`/api/courses/${courseId}/activities`, { sectionId, type: 'video', title: '缺时长', required: true, creditHours: 1 }, instructor), 400);
    });

    it('PATCH /api/activities/:id (partial activity) for its instructors and admins', async () => {
      const patched = ok(await t.patch(`/api/activities/${activityIds.discussion}`, { title: '研讨：开好组织生活会', minPosts: 2 }, instructor), 200);
      expect(patched).toMatchObject({ id: activityIds.discussion, type: 'discussion', title: '研讨：开好组织生活会', required: false });
      expect(ok(await t.patch(`/api/activities/${activityIds.reading}`, { dueAt: at(14) }, admin), 200)).toMatchObject({ id: activityIds.reading, dueAt: expect.stringMatching(ISO_WITH_OFFSET) });
      const notHis = await t.patch(`/api/activities/${activityIds.reading}`, { title: '越权' }, otherInstructor);
      expect([403, 404]).toContain(notHis.statusCode);
    });

    it('POST /api/courses/:id/publish → 200 {status: "published"}', async () => {
      const video = sampleVideo(10, 'mp4').bytes;
      ok(await t.request({ method: 'POST', url: `/api/activities/${activityIds.video}/video`, token: instructor, ...multipartFile('file', 'lesson.mp4', video, 'video/mp4') }), 200);
      const published = ok(await t.post(`/api/courses/${courseId}/publish`, {}, instructor), 200);
      expect(published).toMatchObject({ status: 'published' });
      expect(ok(await t.get(`/api/courses/${courseId}`, admin), 200).status).toBe('published');
    });

    it('POST /api/courses/:id/enrollments {userIds?, branchIds?, unitIds?, allSecretaries?} → 200 {enrolled}; repeating changes nothing', async () => {
      expect(ok(await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secA.id] }, instructor), 200)).toMatchObject({ enrolled: 1 });
      expect(ok(await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secA.id] }, instructor), 200)).toMatchObject({ enrolled: 0 });
      // secA is in already: the branch adds the branch's other secretaries.
      const secretariesInA = await t.dataSource.getRepository(User).countBy({ branchId: branchA.id, role: 'secretary', active: true });
      expect(ok(await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [branchA.id] }, admin), 200)).toMatchObject({ enrolled: secretariesInA - 1 });
      expect(ok(await t.post(`/api/courses/${courseId}/enrollments`, { branchIds: [branchA.id] }, admin), 200)).toMatchObject({ enrolled: 0 });

      // A separate course shows unitIds and allSecretaries.
      const other = ok(await t.post('/api/courses', { title: `全员课程${uniq()}`, startsAt: starts.toISOString(), endsAt: ends.toISOString() }, admin), 201).id;
      const secretariesInB = await t.dataSource.getRepository(User).countBy({ unitId: unitB.id, role: 'secretary', active: true });
      expect(ok(await t.post(`/api/courses/${other}/enrollments`, { unitIds: [unitB.id] }, admin), 200)).toMatchObject({ enrolled: secretariesInB });
      expect(ok(await t.post(`/api/courses/${other}/enrollments`, { unitIds: [unitB.id], userIds: [secB.id] }, admin), 200)).toMatchObject({ enrolled: 0 });
      const everyone = ok(await t.post(`/api/courses/${other}/enrollments`, { allSecretaries: true }, admin), 200);
      expect(everyone.enrolled).toBeGreaterThanOrEqual(2); // at least secA and secA2
      expect(ok(await t.post(`/api/courses/${other}/enrollments`, { allSecretaries: true }, admin), 200)).toMatchObject({ enrolled: 0 });
      expectError(await t.post(`/api/courses/${other}/enrollments`, { userIds: 'everyone' }, admin), 400);
    });

    it('GET /api/courses → the courses the caller may see: secretaries their enrolled, published ones', async () => {
      const draft = ok(await t.post('/api/courses', { title: `草稿课程${uniq()}`, startsAt: starts.toISOString(), endsAt: ends.toISOString() }, admin), 201).id;
      await t.post(`/api/courses/${draft}/enrollments`, { userIds: [secA.id] }, admin); // may or may not be allowed for a draft
      const notMine = ok(await t.post('/api/courses', { title: `他人课程${uniq()}`, startsAt: starts.toISOString(), endsAt: ends.toISOString() }, admin), 201).id;
      const notMineSection = ok(await t.post(`/api/courses/${notMine}/sections`, { title: '一' }, admin), 201).id;
      ok(await t.post(`/api/courses/${notMine}/activities`, { sectionId: notMineSection, type: 'discussion', title: '研讨', required: true, creditHours: 1, prompt: '谈' }, admin), 201);
      ok(await t.post(`/api/courses/${notMine}/publish`, {}, admin), 200);

      const mine = ok(await t.get('/api/courses?pageSize=100', secAToken), 200);
      expect(mine).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
      const ids = mine.items.map((c: { id: string }) => c.id);
      expect(ids).toContain(courseId);
      expect(ids).not.toContain(draft);
      expect(ids).not.toContain(notMine);
      expect(mine.items.every((c: { status: string }) => c.status !== 'draft')).toBe(true);

      const asInstructor = ok(await t.get('/api/courses?pageSize=100', instructor), 200).items.map((c: { id: string }) => c.id);
      expect(asInstructor).toContain(courseId);
      const asAdmin = ok(await t.get('/api/courses?pageSize=100', admin), 200);
      expect(asAdmin.total).toBeGreaterThanOrEqual(3);
    });

    it('GET /api/courses/:id → course with sections: [{id, title, position, activities: [{id, type, title, required, creditHours, opensAt, dueAt}]}]', async () => {
      const course = ok(await t.get(`/api/courses/${courseId}`, secAToken), 200);
      expect(course).toMatchObject({ id: courseId, status: 'published', sections: expect.any(Array) });
      expect(course.sections.map((s: { title: string }) => s.title)).toEqual(['九月：理论学习', '十月：实务研讨']);
      for (const section of course.sections) {
        expect(section).toMatchObject({ id: expect.any(String), title: expect.any(String), position: expect.any(Number), activities: expect.any(Array) });
      }
      const activities = course.sections[0].activities;
      expect(activities.map((a: { id: string }) => a.id)).toEqual(Object.values(activityIds));
      for (const activity of activities) {
        for (const key of ['id', 'type', 'title', 'required', 'creditHours', 'opensAt', 'dueAt']) expect(activity).toHaveProperty(key);
        expect(typeof activity.required).toBe('boolean');
        expect(typeof activity.creditHours).toBe('number');
      }
      const video = activities.find((a: { id: string }) => a.id === activityIds.video);
      expect(new Date(video.opensAt).toISOString()).toBe(at(0));
      expect(new Date(video.dueAt).toISOString()).toBe(at(10));
      expect(JSON.stringify(course)).not.toMatch(/"answer"/); // a secretary never sees the quiz's answers

      expectError(await t.get(`/api/courses/${courseId}`, secBToken), 404); // not enrolled
      expectError(await t.get('/api/courses/999999999', admin), 404);
    });

    it('GET /api/courses/:id/schedule.ics → the dated activities and sessions as an iCalendar feed', async () => {
      for (const token of [secAToken, instructor, admin]) {
        const response = await t.get(`/api/courses/${courseId}/schedule.ics`, token);
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/calendar/);
        const calendar = new ICAL.Component(ICAL.parse(response.body));
        expect(calendar.name).toBe('vcalendar');
        const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
        const session = events.find((e) => e.summary.includes('专题辅导报告'));
        expect(session).toBeDefined();
        expect(session!.location).toBe('党校报告厅');
        expect(session!.startDate.toJSDate().toISOString()).toBe(at(5, 6));
        expect(session!.endDate.toJSDate().toISOString()).toBe(at(5, 8));
        expect(events.some((e) => e.summary.includes('支部工作条例'))).toBe(true); // dated by dueAt
        expect(events.some((e) => e.summary.includes('组织生活会'))).toBe(false); // no date
      }
      expectError(await t.get(`/api/courses/${courseId}/schedule.ics`, secBToken), 404);
    });

    it('GET /api/courses/:id/progress → {completed, requiredDone, requiredTotal, creditHours, activities: [{id, state, completedAt}]}', async () => {
      const progress = ok(await t.get(`/api/courses/${courseId}/progress`, secAToken), 200);
      expect(progress).toMatchObject({ completed: false, requiredDone: 0, requiredTotal: 4, creditHours: 0 });
      expect(progress.activities.map((a: { id: string }) => a.id).sort()).toEqual(Object.values(activityIds).sort());
      for (const activity of progress.activities) {
        expect(activity).toMatchObject({ id: expect.any(String), state: 'not_started', completedAt: null });
      }
      expectError(await t.get(`/api/courses/${courseId}/progress`, secBToken), 404); // not enrolled
    });
  });

  describe('Operations', () => {
    it('GET /api/health → 200 when MySQL and Redis answer', async () => {
      const response = await t.get('/api/health');
      expect(response.statusCode).toBe(200);
      expect(JSON.stringify(response.json())).toMatch(/mysql/);
      expect(JSON.stringify(response.json())).toMatch(/redis/);
    });

    it('GET /api/docs is the OpenAPI UI; /api/docs-json documents every route of API.md', async () => {
      const ui = await t.get('/api/docs');
      expect(ui.statusCode).toBe(200);
      expect(ui.headers['content-type']).toContain('text/html');
      const doc = await t.get('/api/docs-json');
      expect(doc.statusCode).toBe(200);
      const paths = doc.json().paths as Record<string, Record<string, unknown>>;
      const contract = [
        'POST /api/auth/login', 'GET /api/me', 'POST /api/units', 'POST /api/branches', 'POST /api/users', 'POST /api/users/import', 'GET /api/users',
        'POST /api/courses', 'PATCH /api/courses/:id', 'POST /api/courses/:id/publish', 'GET /api/courses', 'GET /api/courses/:id',
        'POST /api/courses/:id/sections', 'POST /api/courses/:id/activities', 'PATCH /api/activities/:id', 'POST /api/courses/:id/enrollments',
        'GET /api/courses/:id/schedule.ics', 'GET /api/courses/:id/progress',
        'POST /api/activities/:id/video', 'GET /api/activities/:id/video', 'POST /api/activities/:id/progress', 'POST /api/activities/:id/reflections',
        'GET /api/activities/:id/reflections', 'POST /api/reflections/:id/review', 'POST /api/activities/:id/attempts', 'POST /api/attempts/:id/submit',
        'GET /api/courses/:id/questions', 'POST /api/courses/:id/questions', 'PATCH /api/questions/:id', 'POST /api/questions/:id/archive', 'POST /api/questions/:id/unarchive',
        'GET /api/activities/:id/threads', 'POST /api/activities/:id/threads', 'GET /api/threads/:id', 'POST /api/threads/:id/posts', 'PATCH /api/threads/:id',
        'GET /api/courses/:id/forum/threads', 'POST /api/courses/:id/forum/threads', 'POST /api/activities/:id/check-in-code', 'POST /api/activities/:id/check-in',
        'PUT /api/activities/:id/attendance', 'POST /api/suggestions', 'GET /api/suggestions', 'POST /api/suggestions/:id/reply', 'GET /api/me/record', 'GET /api/me/notifications',
        'GET /api/health',
      ];
      expect(contract.filter((route) => !documented(paths).includes(route))).toEqual([]);
    });

    it('/api/docs-json documents every route of API.md’s "Department tracking and certificates" too', async () => {
      const paths = (await t.get('/api/docs-json')).json().paths as Record<string, Record<string, unknown>>;
      const contract = [
        'GET /api/reports/courses/:id/completion', 'GET /api/reports/courses/:id/learners', 'GET /api/reports/courses/:id/export',
        'POST /api/courses/:id/certificates/compile', 'POST /api/courses/:id/reminders/run', 'GET /api/courses/:id/certificates', 'GET /api/courses/:id/certificates/bundle',
        'GET /api/me/certificates', 'GET /api/certificates/:id/pdf', 'GET /api/certificates/verify/:id',
      ];
      expect(contract.filter((route) => !documented(paths).includes(route))).toEqual([]);
    });

    it('GET /api/health → 503 naming Redis when it does not answer', async () => {
      const down = await createTestApp();
      try {
        down.app.get<Redis>(REDIS).disconnect();
        const response = await down.get('/api/health');
        expect(response.statusCode).toBe(503);
        expect(JSON.stringify(response.json().error)).toMatch(/redis/);
        expect(JSON.stringify(response.json().error)).not.toMatch(/mysql/);
      } finally {
        await down.close().catch(() => undefined);
      }
    });

    it('GET /api/health → 503 naming MySQL when it does not answer', async () => {
      const down = await createTestApp();
      try {
        await down.dataSource.destroy();
        const response = await down.get('/api/health');
        expect(response.statusCode).toBe(503);
        expect(JSON.stringify(response.json().error)).toMatch(/mysql/);
        expect(JSON.stringify(response.json().error)).not.toMatch(/redis/);
      } finally {
        await down.close().catch(() => undefined);
      }
    });
  });
});
