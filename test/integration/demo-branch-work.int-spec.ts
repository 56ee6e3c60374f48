import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BranchMembersService } from '../../src/branch-members/branch-members.service';
import { CliModule } from '../../src/cli/cli.module';
import { seedDemoMembers } from '../../src/cli/demo-branch-work';
import { UsersRepository } from '../../src/users/users.repository';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';

/** `npm run demo` gives each demo branch a member list through the members module (in the CLI's module), once. */
describe('demo branch member lists', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(CliModule, { logger: false });
  });
  afterAll(() => app.close());

  it('seeds six members in each secretary’s branch, and nothing more when run again', async () => {
    const ds = app.get(DataSource);
    const unit = await makeUnit(ds);
    const secretaries = [await makeUser(ds, { branch: await makeBranch(ds, unit) }), await makeUser(ds, { branch: await makeBranch(ds, unit, { kind: 'student' }) })];
    const members = app.get(BranchMembersService);
    const people = app.get(UsersRepository);
    const usernames = [...secretaries.map((s) => s.username), 'nobody-here'];
    await seedDemoMembers(members, people, usernames);
    await seedDemoMembers(members, people, usernames);
    for (const secretary of secretaries) {
      const actor = { id: secretary.id, username: secretary.username, name: secretary.name, role: 'secretary' as const, unitId: secretary.unitId, branchId: secretary.branchId, mustChangePassword: false };
      expect(await members.list(secretary.branchId!, actor, true)).toMatchObject({ total: 6, full: 4, probationary: 2 });
    }
  }, 60_000);
});
