import { UnauthorizedException } from '@nestjs/common';
import { AuthModule } from '../../src/auth/auth.module';
import { AuthService } from '../../src/auth/auth.service';
import { RedisModule } from '../../src/redis/redis.module';
import { UsersService } from '../../src/users/users.service';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { TEST_PASSWORD } from '../support/test-app';
import { actorOf } from './actors';

/** Login and token rules on the real database and Redis, without HTTP. */
describe('AuthService (real database)', () => {
  let s: ServiceModule;
  let auth: AuthService;
  let users: UsersService;
  let address = 0;
  /** A client address of its own per login, so the per-address throttle never counts another test's failures. */
  const fresh = () => `10.77.${Math.floor(++address / 250)}.${address % 250}`;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, AuthModule] });
    auth = s.get(AuthService);
    users = s.get(UsersService);
  });
  afterAll(() => s.close());

  it('signs in with the right password only, and never a deactivated account', async () => {
    const person = await makeUser(s.dataSource);
    await expect(auth.validateCredentials(person.username, TEST_PASSWORD, fresh())).resolves.toMatchObject({ id: person.id });
    await expect(auth.validateCredentials(` ${person.username} `, TEST_PASSWORD, fresh())).resolves.toMatchObject({ id: person.id });
    for (const [username, password] of [[person.username, 'wrong-password'], [`nobody-${person.username}`, TEST_PASSWORD]]) {
      await expect(auth.validateCredentials(username, password, fresh())).rejects.toMatchObject({ response: expect.objectContaining({ code: 'BAD_CREDENTIALS' }) });
    }
    const gone = await makeUser(s.dataSource, { active: false });
    await expect(auth.validateCredentials(gone.username, TEST_PASSWORD, fresh())).rejects.toMatchObject({ response: expect.objectContaining({ code: 'BAD_CREDENTIALS' }) });
  });

  it('a token stops resolving at once when the password changes, the role changes or the account is deactivated', async () => {
    const dept = actorOf(await makeUser(s.dataSource, { role: 'admin' }));
    const changes: Array<(id: string) => Promise<unknown>> = [
      (id) => users.changePassword(id, TEST_PASSWORD, 'another-passw0rd'),
      (id) => users.update(id, { role: 'instructor' }, dept),
      (id) => users.update(id, { active: false }, dept),
      (id) => users.resetPassword(id, dept),
    ];
    for (const change of changes) {
      const person = await makeUser(s.dataSource);
      const payload = { sub: person.id, ver: person.tokenVersion };
      // Read once, so the user sits in the token-user caches when the change comes.
      await expect(auth.resolveToken(payload)).resolves.toMatchObject({ id: person.id });
      await change(person.id);
      await expect(auth.resolveToken(payload)).rejects.toMatchObject({ response: expect.objectContaining({ code: 'TOKEN_REVOKED' }) });
    }
  });

  it('a token issued after a password change resolves, with the change no longer pending', async () => {
    const person = await makeUser(s.dataSource, { mustChangePassword: true });
    const before = await auth.resolveToken({ sub: person.id, ver: person.tokenVersion });
    expect(before.mustChangePassword).toBe(true);
    const changed = await users.changePassword(person.id, TEST_PASSWORD, 'my-own-passw0rd');
    const issued = await auth.issueToken(changed);
    expect(issued.user.mustChangePassword).toBe(false);
    const after = await auth.resolveToken({ sub: person.id, ver: changed.tokenVersion });
    expect(after).toEqual(expect.objectContaining({ id: person.id, mustChangePassword: false }));
  });

  it('an admin’s reset hands out an initial password that signs in once and must be replaced', async () => {
    const unit = await makeUnit(s.dataSource);
    const person = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, unit) });
    const { initialPassword } = await users.resetPassword(person.id, actorOf(await makeUser(s.dataSource, { role: 'admin', unitId: unit.id })));
    await expect(auth.validateCredentials(person.username, TEST_PASSWORD, fresh())).rejects.toBeInstanceOf(UnauthorizedException);
    const signedIn = await auth.validateCredentials(person.username, initialPassword, fresh());
    expect((await auth.issueToken(signedIn)).user.mustChangePassword).toBe(true);
  });
});
