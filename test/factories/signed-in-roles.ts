import type { User } from '../../src/users/user.entity';
import type { TestApp } from '../support/test-app';
import { makeBranch, makeUnit, makeUser } from './org.factory';

/** The department's admin (`dept`), a branch secretary and an instructor, new and signed in. */
export async function signedInRoles(t: TestApp): Promise<{ deptAdmin: User; dept: string; secretaryToken: string; instructorToken: string }> {
  const deptAdmin = await makeUser(t.dataSource, { role: 'admin' });
  const dept = await t.login(deptAdmin.username);
  const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
  const secretaryToken = await t.login((await makeUser(t.dataSource, { branch })).username);
  const instructorToken = await t.login((await makeUser(t.dataSource, { role: 'instructor' })).username);
  return { deptAdmin, dept, secretaryToken, instructorToken };
}

/** A new department admin's token. */
export async function signedInAdmin(t: TestApp): Promise<string> {
  return t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
}
