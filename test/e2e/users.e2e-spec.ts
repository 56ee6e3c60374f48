import type { Response } from 'light-my-request';
import ExcelJS from 'exceljs';
import { IsNull } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { signedInRoles } from '../factories/signed-in-roles';
import { expectBadRequestNaming, expectStatus } from '../support/http-expectations';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

/** No password, hash or hash-looking value anywhere in a body. */
function expectNoSecrets(response: Response, ...plaintexts: string[]): void {
  const text = response.body;
  expect(text).not.toMatch(/passwordHash|password_hash|"password"|\$argon2|otp-sha256/i);
  for (const plaintext of plaintexts) expect(text).not.toContain(plaintext);
}

let addressCounter = 0;
/** A login attempt from its own address, so expected failures never trip the per-address throttle. */
function freshAddress(): string {
  addressCounter++;
  return `10.77.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

describe('users: accounts and people (e2e)', () => {
  let t: TestApp;
  let dept: string;
  let deptAdmin: User;
  let secretaryToken: string;
  let instructorToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ deptAdmin, dept, secretaryToken, instructorToken } = await signedInRoles(t));
  });
  afterAll(() => t.close());

  const users = () => t.dataSource.getRepository(User);
  const tryLogin = (username: string, password: string) =>
    t.request({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: freshAddress() });

  /** A unit with a branch and its own unit admin, signed in. */
  async function unitWithAdmin() {
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    const admin = await makeUser(t.dataSource, { role: 'admin', unitId: unit.id });
    return { unit, branch, admin, token: await t.login(admin.username) };
  }

  function newUserBody(overrides: Record<string, unknown> = {}) {
    const tag = uniq();
    return { username: `n${tag}`, name: `新用户${tag}`, role: 'secretary', password: `pw-${tag}-long`, ...overrides };
  }

  describe('POST /api/users', () => {
    it('creates a secretary in a branch (201), places them in the branch\'s unit, and never returns the password or hash', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const email = `${uniq('mail')}@example.edu.cn`;
      const body = newUserBody({ email, phone: '010-12345678', branchId: branch.id });
      const created = await t.post('/api/users', body, dept);
      expectStatus(created, 201);
      expectNoSecrets(created, body.password);
      const user = created.json();
      expect(user).toEqual(
        expect.objectContaining({
          username: body.username,
          name: body.name,
          role: 'secretary',
          email,
          phone: '010-12345678',
          active: true,
          mustChangePassword: false,
          branchId: branch.id,
          unitId: unit.id,
          branch: { id: branch.id, name: branch.name },
          unit: { id: unit.id, name: unit.name },
        }),
      );
      expect(user.id).toMatch(/^[1-9]\d*$/);
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('passwordHash');

      // The chosen password is stored hashed and works for signing in.
      const stored = await users().createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: user.id }).getOneOrFail();
      expect(stored.passwordHash).not.toContain(body.password);
      const login = await tryLogin(body.username, body.password);
      expectStatus(login, 200);
      expect(login.json().user).toEqual(expect.objectContaining({ id: user.id, role: 'secretary', mustChangePassword: false }));
    });

    it('creates instructors and unit admins, and honours mustChangePassword', async () => {
      const instructor = await t.post('/api/users', newUserBody({ role: 'instructor' }), dept);
      expectStatus(instructor, 201);
      expect(instructor.json()).toEqual(expect.objectContaining({ role: 'instructor', branchId: null, unitId: null }));

      const unit = await makeUnit(t.dataSource);
      const body = newUserBody({ role: 'admin', unitId: unit.id, mustChangePassword: true });
      const unitAdmin = await t.post('/api/users', body, dept);
      expectStatus(unitAdmin, 201);
      expectNoSecrets(unitAdmin, body.password);
      expect(unitAdmin.json()).toEqual(
        expect.objectContaining({ role: 'admin', unitId: unit.id, unit: { id: unit.id, name: unit.name }, mustChangePassword: true }),
      );
      const login = await tryLogin(body.username, body.password);
      expectStatus(login, 200);
      expect(login.json().user.mustChangePassword).toBe(true);
      const blocked = await t.get('/api/users', login.json().accessToken);
      expectStatus(blocked, 403);
      expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    });

    it('answers 409 for a duplicate username, also after trimming and when two requests race', async () => {
      const existing = await makeUser(t.dataSource);
      const dup = await t.post('/api/users', newUserBody({ username: existing.username }), dept);
      expectStatus(dup, 409);
      expect(dup.json()).toEqual(expect.objectContaining({ statusCode: 409, error: 'Conflict' }));
      expectStatus(await t.post('/api/users', newUserBody({ username: `  ${existing.username} ` }), dept), 409);
      expect(await users().countBy({ username: existing.username })).toBe(1);

      const body = newUserBody();
      const raced = await Promise.all([t.post('/api/users', body, dept), t.post('/api/users', body, dept)]);
      expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(await users().countBy({ username: body.username })).toBe(1);
    });

    it('answers 400 naming each bad field', async () => {
      // The password may be left out (an initial password is then issued): see below.
      expectBadRequestNaming(await t.post('/api/users', {}, dept), 'username', 'name', 'role');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ username: 'has space' }), dept), 'username');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ username: 'u'.repeat(65) }), dept), 'username');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ name: '   ' }), dept), 'name');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ role: 'superuser' }), dept), 'role');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ password: 'short' }), dept), 'password');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ password: 12345678 }), dept), 'password');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ email: 'not-an-email' }), dept), 'email');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ phone: 'call me' }), dept), 'phone');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ branchId: 'abc' }), dept), 'branchId');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ unitId: '-3' }), dept), 'unitId');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ mustChangePassword: 'yes' }), dept), 'mustChangePassword');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ passwordHash: 'x' }), dept), 'passwordHash');
      expectBadRequestNaming(await t.post('/api/users', newUserBody({ active: false, tokenVersion: 3 }), dept), 'tokenVersion');
    });

    it('answers 400 when unitId contradicts the branch, and 404 naming branchId or unitId when they do not exist', async () => {
      const unit = await makeUnit(t.dataSource);
      const other = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const mismatch = newUserBody({ branchId: branch.id, unitId: other.id });
      expectBadRequestNaming(await t.post('/api/users', mismatch, dept), 'unitId');
      expect(await users().countBy({ username: mismatch.username })).toBe(0);

      const missingBranch = await t.post('/api/users', newUserBody({ branchId: String(BigInt(branch.id) + 1_000_000n) }), dept);
      expectStatus(missingBranch, 404);
      expect(JSON.stringify(missingBranch.json())).toContain('branchId');
      const missingUnit = await t.post('/api/users', newUserBody({ role: 'admin', unitId: String(BigInt(unit.id) + 1_000_000n) }), dept);
      expectStatus(missingUnit, 404);
      expect(JSON.stringify(missingUnit.json())).toContain('unitId');
    });
  });

  describe('POST /api/users without a password', () => {
    it('issues a one-time initial password, shown in this answer only, that must be replaced at first login', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const username = uniq('n');
      const created = await t.post('/api/users', { username, name: '新书记', role: 'secretary', branchId: branch.id }, dept);
      expectStatus(created, 201);
      const body = created.json();
      expect(body).toMatchObject({ username, unitId: unit.id, branchId: branch.id, mustChangePassword: true, initialPassword: expect.any(String) });
      expect(new Date(body.initialPasswordExpiresAt).getTime()).toBeGreaterThan(Date.now());
      expect(created.body).not.toMatch(/hash|\$argon2|otp-sha256/i);
      expect((await t.get(`/api/users/${body.id}`, dept)).body).not.toContain(body.initialPassword);

      const signedIn = await tryLogin(username, body.initialPassword);
      expectStatus(signedIn, 200);
      expect(signedIn.json().user.mustChangePassword).toBe(true);
    });
  });

  describe('GET /api/users/import/template', () => {
    it('offers the roster template as CSV (UTF-8 with BOM) and XLSX with the Chinese headers and one example row that imports cleanly', async () => {
      const csv = await t.get('/api/users/import/template?format=csv', dept);
      expectStatus(csv, 200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(String(csv.headers['content-disposition'])).toContain(encodeURIComponent('名册模板.csv'));
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = csv.rawPayload.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('工号,姓名,单位,支部,邮箱,角色');
      expect(lines).toHaveLength(2);

      const xlsx = await t.get('/api/users/import/template?format=xlsx', dept);
      expectStatus(xlsx, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['工号', '姓名', '单位', '支部', '邮箱', '角色']);
      expect(sheet.rowCount).toBe(2);

      // The example row is a valid roster row: a dry run of the template finds no error.
      const checked = await t.request({
        method: 'POST',
        url: '/api/users/import?dryRun=true',
        headers: { authorization: `Bearer ${dept}`, 'content-type': 'multipart/form-data; boundary=b' },
        payload: Buffer.concat([
          Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n'),
          csv.rawPayload,
          Buffer.from('\r\n--b--\r\n'),
        ]),
      });
      expectStatus(checked, 200);
      expect(checked.json()).toMatchObject({ rows: 1, errors: [] });

      expectStatus(await t.get('/api/users/import/template?format=pdf', dept), 400);
      expectStatus(await t.get('/api/users/import/template', secretaryToken), 403);
    });
  });

  describe('GET /api/users', () => {
    it('filters by branchId, role, unitId, active and q (name, username, email), and paginates', async () => {
      const tag = uniq('ppl');
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const otherBranch = await makeBranch(t.dataSource, unit);
      const inBranch: User[] = [];
      for (let i = 0; i < 3; i++) inBranch.push(await makeUser(t.dataSource, { branch, name: `${tag}书记${i}` }));
      const elsewhere = await makeUser(t.dataSource, { branch: otherBranch, name: `${tag}另一支部` });
      const instructor = await makeUser(t.dataSource, { role: 'instructor', name: `${tag}讲师` });
      const byEmail = await makeUser(t.dataSource, { email: `${tag}@mail.example.edu.cn` });
      const ids = (response: Response) => response.json().items.map((u: User) => u.id).sort();

      const byBranch = await t.get(`/api/users?branchId=${branch.id}`, dept);
      expectStatus(byBranch, 200);
      expect(byBranch.json().total).toBe(3);
      expect(ids(byBranch)).toEqual(inBranch.map((u) => u.id).sort());
      expectNoSecrets(byBranch);

      expect(ids(await t.get(`/api/users?q=${tag}`, dept))).toEqual([...inBranch, elsewhere, instructor, byEmail].map((u) => u.id).sort());
      const instructors = await t.get(`/api/users?q=${tag}&role=instructor`, dept);
      expect(ids(instructors)).toEqual([instructor.id]);
      expect(instructors.json().items[0]).toEqual(expect.objectContaining({ role: 'instructor', name: instructor.name }));
      expect(ids(await t.get(`/api/users?q=${tag}&role=admin`, dept))).toEqual([]);
      expect(ids(await t.get(`/api/users?q=${tag}&unitId=${unit.id}`, dept))).toEqual([...inBranch, elsewhere].map((u) => u.id).sort());
      expect(ids(await t.get(`/api/users?q=${inBranch[1].username}`, dept))).toEqual([inBranch[1].id]);
      expect(ids(await t.get(`/api/users?q=${encodeURIComponent(`${tag}@mail`)}`, dept))).toEqual([byEmail.id]);
      expect(ids(await t.get(`/api/users?q=${encodeURIComponent(`${tag}书记`)}&branchId=${otherBranch.id}`, dept))).toEqual([]);

      const page1 = (await t.get(`/api/users?branchId=${branch.id}&pageSize=2&page=1`, dept)).json();
      const page2 = (await t.get(`/api/users?branchId=${branch.id}&pageSize=2&page=2`, dept)).json();
      expect(page1).toEqual(expect.objectContaining({ total: 3, page: 1, pageSize: 2 }));
      expect(page1.items).toHaveLength(2);
      expect(page2).toEqual(expect.objectContaining({ total: 3, page: 2 }));
      expect(page2.items).toHaveLength(1);
      expect(new Set([...page1.items, ...page2.items].map((u: User) => u.id))).toEqual(new Set(inBranch.map((u) => u.id)));

      expectStatus(await t.patch(`/api/users/${inBranch[0].id}`, { active: false }, dept), 200);
      expect(ids(await t.get(`/api/users?branchId=${branch.id}&active=false`, dept))).toEqual([inBranch[0].id]);
      expect(ids(await t.get(`/api/users?branchId=${branch.id}&active=true`, dept))).toEqual([inBranch[1].id, inBranch[2].id].sort());
    });

    it('answers 400 naming the parameter for bad filters', async () => {
      expectBadRequestNaming(await t.get('/api/users?role=boss', dept), 'role');
      expectBadRequestNaming(await t.get('/api/users?branchId=abc', dept), 'branchId');
      expectBadRequestNaming(await t.get('/api/users?unitId=0', dept), 'unitId');
      expectBadRequestNaming(await t.get('/api/users?active=yes', dept), 'active');
      expectBadRequestNaming(await t.get('/api/users?pageSize=0', dept), 'pageSize');
      expectBadRequestNaming(await t.get('/api/users?page=-1', dept), 'page');
      expectBadRequestNaming(await t.get('/api/users?password=x', dept), 'password');
    });

    it('answers 400, never 500, for a page number too large to turn into an offset', async () => {
      expectBadRequestNaming(await t.get('/api/users?page=1e300', dept), 'page');
    });
  });

  describe('GET and PATCH /api/users/:id', () => {
    it('returns one user with their branch and unit, and 404 for unknown and malformed ids', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const user = await makeUser(t.dataSource, { branch });
      const response = await t.get(`/api/users/${user.id}`, dept);
      expectStatus(response, 200);
      expectNoSecrets(response);
      expect(response.json()).toEqual(
        expect.objectContaining({
          id: user.id,
          username: user.username,
          name: user.name,
          email: user.email,
          role: 'secretary',
          active: true,
          branch: { id: branch.id, name: branch.name },
          unit: { id: unit.id, name: unit.name },
        }),
      );

      const unknown = String(BigInt(user.id) + 1_000_000n);
      for (const id of [unknown, 'abc', '0', '-1', '1.0', '99999999999999999999999']) {
        expect({ id, status: (await t.get(`/api/users/${id}`, dept)).statusCode }).toEqual({ id, status: 404 });
        expect({ id, status: (await t.patch(`/api/users/${id}`, { name: 'x' }, dept)).statusCode }).toEqual({ id, status: 404 });
        expect({ id, status: (await t.post(`/api/users/${id}/reset-password`, {}, dept)).statusCode }).toEqual({ id, status: 404 });
      }
    });

    it('updates name, email, phone and role, and moving to another branch moves the unit with it', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const otherUnit = await makeUnit(t.dataSource);
      const otherBranch = await makeBranch(t.dataSource, otherUnit);
      const user = await makeUser(t.dataSource, { branch });

      const email = `${uniq('new')}@example.edu.cn`;
      const updated = await t.patch(`/api/users/${user.id}`, { name: '王芳', email, phone: '13900000000' }, dept);
      expectStatus(updated, 200);
      expectNoSecrets(updated);
      expect(updated.json()).toEqual(expect.objectContaining({ id: user.id, name: '王芳', email, phone: '13900000000', branchId: branch.id }));

      const moved = await t.patch(`/api/users/${user.id}`, { branchId: otherBranch.id }, dept);
      expectStatus(moved, 200);
      expect(moved.json()).toEqual(
        expect.objectContaining({ branchId: otherBranch.id, unitId: otherUnit.id, branch: { id: otherBranch.id, name: otherBranch.name } }),
      );
      expect(await users().findOneBy({ id: user.id })).toEqual(expect.objectContaining({ branchId: otherBranch.id, unitId: otherUnit.id, name: '王芳' }));

      const cleared = await t.patch(`/api/users/${user.id}`, { email: '' }, dept);
      expectStatus(cleared, 200);
      expect(cleared.json().email).toBeNull();

      const promoted = await t.patch(`/api/users/${user.id}`, { role: 'instructor' }, dept);
      expectStatus(promoted, 200);
      expect(promoted.json().role).toBe('instructor');
    });

    it('answers 400 naming the field for bad updates, and changes nothing', async () => {
      const user = await makeUser(t.dataSource);
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { email: 'nope' }, dept), 'email');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { role: 'root' }, dept), 'role');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { name: '' }, dept), 'name');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { active: 'no' }, dept), 'active');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { branchId: 'x' }, dept), 'branchId');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { password: 'a-new-password' }, dept), 'password');
      expectBadRequestNaming(await t.patch(`/api/users/${user.id}`, { username: 'renamed' }, dept), 'username');
      expect(await users().findOneBy({ id: user.id })).toEqual(
        expect.objectContaining({ name: user.name, email: user.email, role: 'secretary', active: true, username: user.username }),
      );
    });

    it('deactivation makes the user\'s token stop working (401) and blocks login; reactivation allows login again', async () => {
      const user = await makeUser(t.dataSource);
      const token = await t.login(user.username);
      expectStatus(await t.get('/api/me', token), 200);

      const response = await t.patch(`/api/users/${user.id}`, { active: false }, dept);
      expectStatus(response, 200);
      expect(response.json().active).toBe(false);
      const revoked = await t.get('/api/me', token);
      expectStatus(revoked, 401);
      expect(revoked.json()).toEqual(expect.objectContaining({ statusCode: 401, error: 'Unauthorized' }));
      expectStatus(await tryLogin(user.username, TEST_PASSWORD), 401);

      expectStatus(await t.patch(`/api/users/${user.id}`, { active: true }, dept), 200);
      expectStatus(await t.get('/api/me', token), 401);
      const again = await tryLogin(user.username, TEST_PASSWORD);
      expectStatus(again, 200);
      expectStatus(await t.get('/api/me', again.json().accessToken), 200);
    });

    it('a role change ends the user\'s sessions', async () => {
      const user = await makeUser(t.dataSource);
      const token = await t.login(user.username);
      expectStatus(await t.patch(`/api/users/${user.id}`, { role: 'instructor' }, dept), 200);
      expectStatus(await t.get('/api/me', token), 401);
    });

  });

  describe('POST /api/users/:id/reset-password', () => {
    it('returns a one-time initial password that must be changed at login; old password and tokens stop working', async () => {
      const user = await makeUser(t.dataSource);
      const oldToken = await t.login(user.username);

      const reset = await t.post(`/api/users/${user.id}/reset-password`, {}, dept);
      expectStatus(reset, 200);
      const body = reset.json();
      expect(body).toEqual(expect.objectContaining({ username: user.username, initialPassword: expect.any(String) }));
      expect(body.initialPassword.length).toBeGreaterThanOrEqual(8);
      expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
      expect(reset.body).not.toMatch(/hash|\$argon2|otp-sha256/i);

      expectStatus(await t.get('/api/me', oldToken), 401);
      expectStatus(await tryLogin(user.username, TEST_PASSWORD), 401);
      expect((await t.get(`/api/users/${user.id}`, dept)).json().mustChangePassword).toBe(true);

      const signedIn = await tryLogin(user.username, body.initialPassword);
      expectStatus(signedIn, 200);
      expect(signedIn.json().user.mustChangePassword).toBe(true);
      const pending = signedIn.json().accessToken;
      const blocked = await t.patch('/api/me', { phone: '13700000000' }, pending);
      expectStatus(blocked, 403);
      expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');

      const changed = await t.post('/api/me/password', { currentPassword: body.initialPassword, newPassword: 'chosen-passw0rd' }, pending);
      expectStatus(changed, 200);
      expect(changed.json().user.mustChangePassword).toBe(false);
      expectStatus(await t.patch('/api/me', { phone: '13700000000' }, changed.json().accessToken), 200);

      // One-time: the initial password no longer signs in once replaced.
      expectStatus(await tryLogin(user.username, body.initialPassword), 401);
      expectStatus(await tryLogin(user.username, 'chosen-passw0rd'), 200);
    });

    it('issues a different password each time, and only the latest works', async () => {
      const user = await makeUser(t.dataSource);
      const first = (await t.post(`/api/users/${user.id}/reset-password`, {}, dept)).json().initialPassword;
      const second = (await t.post(`/api/users/${user.id}/reset-password`, {}, dept)).json().initialPassword;
      expect(first).not.toBe(second);
      expectStatus(await tryLogin(user.username, first), 401);
      expectStatus(await tryLogin(user.username, second), 200);
    });
  });

  describe('role boundaries', () => {
    it('answers 401 without a token', async () => {
      const user = await makeUser(t.dataSource);
      expectStatus(await t.get('/api/users'), 401);
      expectStatus(await t.post('/api/users', newUserBody()), 401);
      expectStatus(await t.get(`/api/users/${user.id}`), 401);
      expectStatus(await t.patch(`/api/users/${user.id}`, { name: 'x' }), 401);
      expectStatus(await t.post(`/api/users/${user.id}/reset-password`, {}), 401);
    });

    it('answers 403 to secretaries and instructors on every users route, and changes nothing', async () => {
      const victim = await makeUser(t.dataSource);
      for (const token of [secretaryToken, instructorToken]) {
        const body = newUserBody({ role: 'admin' });
        const responses = [
          await t.post('/api/users', body, token),
          await t.get('/api/users', token),
          await t.get(`/api/users/${victim.id}`, token),
          await t.patch(`/api/users/${victim.id}`, { role: 'admin' }, token),
          await t.post(`/api/users/${victim.id}/reset-password`, {}, token),
        ];
        for (const response of responses) {
          expect(response.statusCode).toBe(403);
          expect(response.json()).toEqual(expect.objectContaining({ statusCode: 403, error: 'Forbidden' }));
        }
        expect(await users().countBy({ username: body.username })).toBe(0);
      }
      expect(await users().findOneBy({ id: victim.id })).toEqual(expect.objectContaining({ role: 'secretary', mustChangePassword: false }));
      expectStatus(await tryLogin(victim.username, TEST_PASSWORD), 200);
    });
  });

  describe('unit admin', () => {
    it('manages people in their own unit', async () => {
      const { unit, branch, token } = await unitWithAdmin();
      const body = newUserBody({ branchId: branch.id });
      const created = await t.post('/api/users', body, token);
      expectStatus(created, 201);
      expect(created.json()).toEqual(expect.objectContaining({ branchId: branch.id, unitId: unit.id }));
      const id = created.json().id;

      expectStatus(await t.get(`/api/users/${id}`, token), 200);
      const renamed = await t.patch(`/api/users/${id}`, { name: '赵静' }, token);
      expectStatus(renamed, 200);
      expect(renamed.json().name).toBe('赵静');
      const reset = await t.post(`/api/users/${id}/reset-password`, {}, token);
      expectStatus(reset, 200);
      expectStatus(await tryLogin(body.username, reset.json().initialPassword), 200);
    });

    it('gets 404 for another unit\'s people on GET, PATCH and reset-password, and changes nothing', async () => {
      const { token } = await unitWithAdmin();
      const other = await unitWithAdmin();
      const theirs = await makeUser(t.dataSource, { branch: other.branch });

      for (const target of [theirs, other.admin, deptAdmin]) {
        const get = await t.get(`/api/users/${target.id}`, token);
        expectStatus(get, 404);
        expect(get.body).not.toContain(target.username);
        expectStatus(await t.patch(`/api/users/${target.id}`, { name: '篡改' }, token), 404);
        expectStatus(await t.patch(`/api/users/${target.id}`, { active: false }, token), 404);
        expectStatus(await t.post(`/api/users/${target.id}/reset-password`, {}, token), 404);
        expect(await users().findOneBy({ id: target.id })).toEqual(
          expect.objectContaining({ name: target.name, active: true, mustChangePassword: false }),
        );
      }
      // Their passwords and sessions are untouched.
      expectStatus(await tryLogin(theirs.username, TEST_PASSWORD), 200);
      expectStatus(await t.get('/api/me', other.token), 200);
    });

    it('cannot create people in, or move people into, another unit\'s branch or unit', async () => {
      const { unit, branch, token } = await unitWithAdmin();
      const other = await unitWithAdmin();

      const intoBranch = newUserBody({ branchId: other.branch.id });
      const created = await t.post('/api/users', intoBranch, token);
      expectStatus(created, 404);
      expect(JSON.stringify(created.json())).toContain('branchId');
      const intoUnit = newUserBody({ role: 'admin', unitId: other.unit.id });
      expectStatus(await t.post('/api/users', intoUnit, token), 404);
      expect(await users().countBy({ username: intoBranch.username })).toBe(0);
      expect(await users().countBy({ username: intoUnit.username })).toBe(0);

      const mine = await makeUser(t.dataSource, { branch });
      const moved = await t.patch(`/api/users/${mine.id}`, { branchId: other.branch.id }, token);
      expectStatus(moved, 404);
      expect(JSON.stringify(moved.json())).toContain('branchId');
      expectStatus(await t.patch(`/api/users/${mine.id}`, { branchId: null, unitId: other.unit.id }, token), 404);
      expectStatus(await t.patch(`/api/users/${mine.id}`, { role: 'admin', branchId: null, unitId: other.unit.id }, token), 404);
      expect(await users().findOneBy({ id: mine.id })).toEqual(
        expect.objectContaining({ branchId: branch.id, unitId: unit.id, role: 'secretary' }),
      );
    });

  });
});
