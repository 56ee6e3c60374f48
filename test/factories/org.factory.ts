import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/users/passwords';
import { Branch, BranchKind } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import type { Role } from '../../src/common/roles';
import { User } from '../../src/users/user.entity';
import { TEST_PASSWORD } from '../support/test-app';

/** Short unique suffix so tests never collide on unique names, codes or usernames. */
export function uniq(prefix = ''): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

let passwordHash: Promise<string> | undefined;
function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

export async function makeUnit(ds: DataSource, overrides: Partial<Unit> = {}): Promise<Unit> {
  const tag = uniq();
  return ds.getRepository(Unit).save({ name: `测试学院党委${tag}`, code: `U${tag}`, ...overrides });
}

export async function makeBranch(ds: DataSource, unit: Unit, overrides: Partial<Branch> & { kind?: BranchKind } = {}): Promise<Branch> {
  const tag = uniq();
  return ds.getRepository(Branch).save({ unitId: unit.id, name: `教工第${tag}党支部`, code: `B${tag}`, kind: 'staff', ...overrides });
}

export interface MakeUserOptions extends Partial<Omit<User, 'branch' | 'unit'>> {
  role?: Role;
  branch?: Branch;
}

/** A user whose password is TEST_PASSWORD. A branch implies its unit, as the service does. */
export async function makeUser(ds: DataSource, { branch, ...overrides }: MakeUserOptions = {}): Promise<User> {
  const tag = uniq();
  return ds.getRepository(User).save({
    username: `u${tag}`,
    name: `测试用户${tag}`,
    role: 'secretary',
    email: `u${tag}@example.edu.cn`,
    passwordHash: await testPasswordHash(),
    branchId: branch?.id ?? null,
    unitId: branch?.unitId ?? null,
    ...overrides,
  } as User);
}
