import { JwtService } from '@nestjs/jwt';
import { createApp } from '../../src/app.setup';
import { appConfig } from '../../src/config/config';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { eventually } from '../support/eventually';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

describe('identity: login, tokens, password change (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (username: string, password: string, remoteAddress = '10.1.0.1') =>
    t.request({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

  it('signs in with username and password and answers GET /api/me', async () => {
    const unit = await makeUnit(t.dataSource, { name: uniq('数学学院党委') });
    const branch = await makeBranch(t.dataSource, unit);
    const user = await makeUser(t.dataSource, { branch, name: '李明' });

    const response = await login(user.username, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual(expect.objectContaining({ id: user.id, username: user.username, name: '李明', role: 'secretary' }));
    expect(typeof body.accessToken).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/hash/i);

    const me = await t.get('/api/me', body.accessToken);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(
      expect.objectContaining({
        id: user.id,
        username: user.username,
        name: '李明',
        role: 'secretary',
        email: user.email,
        branch: { id: branch.id, name: branch.name },
        unit: { id: unit.id, name: unit.name },
      }),
    );
  });

  it('answers 401 for a wrong password, an unknown user and a deactivated account', async () => {
    const user = await makeUser(t.dataSource);
    const inactive = await makeUser(t.dataSource, { active: false });
    for (const [username, password] of [
      [user.username, 'wrong-password'],
      [uniq('nobody'), TEST_PASSWORD],
      [inactive.username, TEST_PASSWORD],
    ]) {
      const response = await login(username, password, '10.1.0.2');
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(expect.objectContaining({ statusCode: 401, error: 'Unauthorized', code: 'BAD_CREDENTIALS' }));
    }
  });

  it('answers 400 naming the field for a malformed login body, and 400 for malformed JSON', async () => {
    const response = await t.post('/api/auth/login', { username: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password', message: '请填写密码' })]));

    const malformed = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "x", ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().statusCode).toBe(400);
  });

  it('throttles repeated failures per account (429), even from fresh addresses, and keeps the right password working elsewhere later', async () => {
    const user = await makeUser(t.dataSource);
    for (let i = 0; i < 5; i++) {
      expect((await login(user.username, 'wrong', `10.2.0.${i}`)).statusCode).toBe(401);
    }
    const blocked = await login(user.username, TEST_PASSWORD, '10.2.1.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.json().code).toBe('LOGIN_THROTTLED');

    // A different account is not affected by this one's lock.
    const other = await makeUser(t.dataSource);
    expect((await login(other.username, TEST_PASSWORD, '10.2.1.2')).statusCode).toBe(200);
  });

  it('throttles repeated failures per address across many accounts (429)', async () => {
    const address = '10.3.0.9';
    for (let i = 0; i < 30; i++) {
      expect((await login(uniq('ghost'), 'wrong', address)).statusCode).toBe(401);
    }
    const user = await makeUser(t.dataSource);
    expect((await login(user.username, TEST_PASSWORD, address)).statusCode).toBe(429);
    expect((await login(user.username, TEST_PASSWORD, '10.3.0.10')).statusCode).toBe(200);
  });

  it('revokes every earlier token when the password changes, and the new password works', async () => {
    const user = await makeUser(t.dataSource);
    const oldToken = await t.login(user.username);
    const otherDevice = await t.login(user.username);

    const wrongCurrent = await t.post('/api/me/password', { currentPassword: 'nope-nope', newPassword: 'n3w-passw0rd' }, oldToken);
    expect(wrongCurrent.statusCode).toBe(401);

    const tooShort = await t.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' }, oldToken);
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'newPassword', rule: 'minLength' })]));

    const changed = await t.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'n3w-passw0rd' }, oldToken);
    expect(changed.statusCode).toBe(200);
    const freshToken = changed.json().accessToken;

    expect((await t.get('/api/me', oldToken)).statusCode).toBe(401);
    expect((await t.get('/api/me', otherDevice)).statusCode).toBe(401);
    expect((await t.get('/api/me', freshToken)).statusCode).toBe(200);
    expect((await login(user.username, TEST_PASSWORD, '10.4.0.1')).statusCode).toBe(401);
    expect((await login(user.username, 'n3w-passw0rd', '10.4.0.1')).statusCode).toBe(200);
  });

  it('revokes tokens when an admin deactivates the account', async () => {
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    const user = await makeUser(t.dataSource);
    const adminToken = await t.login(admin.username);
    const userToken = await t.login(user.username);
    expect((await t.get('/api/me', userToken)).statusCode).toBe(200);

    const response = await t.patch(`/api/users/${user.id}`, { active: false }, adminToken);
    expect(response.statusCode).toBe(200);
    expect(response.json().active).toBe(false);
    expect((await t.get('/api/me', userToken)).statusCode).toBe(401);
  });

  it('revokes at once in every API process, though each keeps token users in memory', async () => {
    // A second API process of the same deployment (same MySQL, same Redis), with its own in-memory copies.
    const other = await createTestApp();
    try {
      const admin = await makeUser(t.dataSource, { role: 'admin' });
      const adminToken = await t.login(admin.username);
      const promoted = await makeUser(t.dataSource);
      const leaver = await makeUser(t.dataSource);
      const tokens = { promoted: await t.login(promoted.username), leaver: await t.login(leaver.username) };
      for (const token of Object.values(tokens)) {
        // Both processes have now read (and keep) the user behind the token.
        expect((await other.get('/api/me', token)).statusCode).toBe(200);
        expect((await t.get('/api/me', token)).statusCode).toBe(200);
      }
      const refusedByOther = (token: string) => eventually(async () => (await other.get('/api/me', token)).statusCode, (status) => status === 401);

      // A role change ends the user's sessions; so does deactivation.
      expect((await t.patch(`/api/users/${promoted.id}`, { role: 'instructor' }, adminToken)).statusCode).toBe(200);
      expect((await t.get('/api/me', tokens.promoted)).statusCode).toBe(401);
      expect(await refusedByOther(tokens.promoted)).toBe(401);

      expect((await t.patch(`/api/users/${leaver.id}`, { active: false }, adminToken)).statusCode).toBe(200);
      expect((await t.get('/api/me', tokens.leaver)).statusCode).toBe(401);
      expect(await refusedByOther(tokens.leaver)).toBe(401);
      // The admin's own token, untouched, still works in both.
      expect((await other.get('/api/me', adminToken)).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses a token from the moment it expires, though it was accepted a moment before', async () => {
    const user = await makeUser(t.dataSource);
    const token = await t.app.get(JwtService).signAsync({ sub: user.id, ver: 0 }, { expiresIn: 2 });
    expect((await t.get('/api/me', token)).statusCode).toBe(200);
    const expiresAt = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    const expired = await t.get('/api/me', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('TOKEN_INVALID');
  });

  it('runs an app built with createApp(config) on that configuration, not on the environment it started in', async () => {
    const config = appConfig();
    expect(config.auth.jwtExpiresInSeconds).not.toBe(120);
    const app = await createApp({ ...config, auth: { ...config.auth, jwtExpiresInSeconds: 120 } });
    try {
      await app.init();
      const user = await makeUser(t.dataSource);
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: TEST_PASSWORD } });
      const { iat, exp } = JSON.parse(Buffer.from(login.json().accessToken.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
      expect(exp - iat).toBe(120);
    } finally {
      await app.close();
    }
  });

  it('rejects missing, malformed and forged tokens with 401', async () => {
    expect((await t.get('/api/me')).statusCode).toBe(401);
    expect((await t.get('/api/me', 'not-a-jwt')).statusCode).toBe(401);
    const user = await makeUser(t.dataSource);
    const token = await t.login(user.username);
    const [header, payload] = token.split('.');
    expect((await t.get('/api/me', `${header}.${payload}.forgedsignature`)).statusCode).toBe(401);
  });

  it('makes a user with a generated initial password change it before doing anything else', async () => {
    const admin = await makeUser(t.dataSource, { role: 'admin' });
    const user = await makeUser(t.dataSource);
    const adminToken = await t.login(admin.username);

    const reset = await t.post(`/api/users/${user.id}/reset-password`, {}, adminToken);
    expect(reset.statusCode).toBe(200);
    const { initialPassword } = reset.json();
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{12}$/);
    const stored = await t.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: user.id }).getOneOrFail();
    expect(stored.passwordHash).not.toContain(initialPassword);

    const signedIn = await login(user.username, initialPassword, '10.5.0.1');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.mustChangePassword).toBe(true);
    const token = signedIn.json().accessToken;

    expect((await t.get('/api/me', token)).statusCode).toBe(200);
    const blocked = await t.patch('/api/me', { phone: '13800000000' }, token);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');

    const changed = await t.post('/api/me/password', { currentPassword: initialPassword, newPassword: 'my-own-passw0rd' }, token);
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.mustChangePassword).toBe(false);
    expect((await t.patch('/api/me', { phone: '13800000000' }, changed.json().accessToken)).json().phone).toBe('13800000000');
  });
});
