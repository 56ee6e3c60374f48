import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BranchMembersService } from '../../src/branch-members/branch-members.service';
import { CliModule } from '../../src/cli/cli.module';
import { seedDemoBranchYear, seedDemoMembers } from '../../src/cli/demo-branch-work';
import { UsersRepository } from '../../src/users/users.repository';
import { BranchPlansService } from '../../src/branch-plans/branch-plans.service';
import { RecordsService } from '../../src/handbook/records.service';
import { ListRecordsQuery } from '../../src/handbook/dto/record.dto';
import { authUserOf } from '../../src/common/auth-user';
import { beijingDay } from '../../src/norms/beijing-calendar';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';

/** `npm run demo` gives each demo branch a member list through the members module (in the CLI's module), once. */
describe('demo branch work', () => {
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

  it('keeps the first branch’s year so far: an approved plan, an accepted record against its item, one waiting; once', async () => {
    const ds = app.get(DataSource);
    const unit = await makeUnit(ds);
    const secretary = await makeUser(ds, { branch: await makeBranch(ds, unit) });
    const department = await makeUser(ds, { role: 'admin' });
    const services = { plans: app.get(BranchPlansService), records: app.get(RecordsService), members: app.get(BranchMembersService), people: app.get(UsersRepository) };
    await seedDemoMembers(services.members, services.people, [secretary.username]);
    const now = new Date();
    await seedDemoBranchYear(services, secretary.username, department.username, now);
    await seedDemoBranchYear(services, secretary.username, department.username, now);

    const actor = authUserOf(secretary);
    const { year, month } = beijingDay(now);
    const plan = await services.plans.get(secretary.branchId!, year, actor);
    expect(plan).toMatchObject({ status: 'approved', stored: true });
    const records = await services.records.list(secretary.branchId!, Object.assign(new ListRecordsQuery(), { year }), actor);
    expect(records.items.map((r) => [r.kind, r.status]).sort()).toEqual([['committee_meeting', 'accepted'], ['group_meeting', 'submitted']]);
    const item = plan.items.find((i) => i.kind === 'committee_meeting' && i.month === month)!;
    expect(item).toMatchObject({ state: 'done', recordIds: [records.items.find((r) => r.kind === 'committee_meeting')!.id] });
    // The stored counts the compliance overview reads are kept in this process too.
    const counts = await ds.query('SELECT kind, accepted, submitted FROM branch_work_counts WHERE branch_id = ? AND year = ? ORDER BY kind', [secretary.branchId, year]);
    expect(counts).toEqual([
      { kind: 'committee_meeting', accepted: 1, submitted: 0 },
      { kind: 'group_meeting', accepted: 0, submitted: 1 },
    ]);
  }, 60_000);
});
