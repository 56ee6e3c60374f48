import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InTransactionEvents } from '../../src/events/event-map';
import { OnEventInTransaction } from '../../src/events/on-event.decorator';
import { OrgService } from '../../src/org/org.service';
import { ListUsersQuery } from '../../src/users/dto/user.dto';
import { RedisModule } from '../../src/redis/redis.module';
import { User } from '../../src/users/user.entity';
import { UserLabelsService } from '../../src/users/user-labels.service';
import { UsersModule } from '../../src/users/users.module';
import { UsersRepository } from '../../src/users/users.repository';
import { UsersService } from '../../src/users/users.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { actorOf } from './actors';

/** Stands in for the modules that react to people being placed (enrolments): records, or fails on demand. */
@Injectable()
class PlacedRecorder {
  readonly placed: string[][] = [];
  failFor: string | null = null;

  @OnEventInTransaction('people.placed')
  async record({ userIds }: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    if (this.failFor && userIds.includes(this.failFor)) throw new Error('enrolment failed');
    // Runs inside the caller's transaction: it sees the person where they were just put.
    const rows: { unit_id: string | null }[] = await manager.query('SELECT unit_id FROM users WHERE id IN (?)', [userIds]);
    this.placed.push([...userIds, ...rows.map((r) => `unit:${r.unit_id}`)]);
  }
}

describe('UsersService (real database)', () => {
  let s: ServiceModule;
  let users: UsersService;
  let recorder: PlacedRecorder;
  let dept: User;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [RedisModule, UsersModule], providers: [PlacedRecorder] });
    users = s.get(UsersService);
    recorder = s.get(PlacedRecorder);
    dept = await makeUser(s.dataSource, { role: 'admin' });
  });
  afterAll(() => s.close());

  const row = (id: string) => s.dataSource.getRepository(User).findOneByOrFail({ id });
  const newUser = (overrides: Record<string, unknown> = {}) => {
    const tag = uniq();
    return { username: `s${tag}`, name: `服务${tag}`, role: 'secretary' as const, password: `pw-${tag}-long`, ...overrides };
  };
  async function unitWithAdmin() {
    const unit = await makeUnit(s.dataSource);
    const branch = await makeBranch(s.dataSource, unit);
    const admin = await makeUser(s.dataSource, { role: 'admin', unitId: unit.id });
    return { unit, branch, admin, actor: actorOf(admin) };
  }

  it('places a new secretary in their branch’s unit and tells the listeners in the same transaction', async () => {
    const unit = await makeUnit(s.dataSource);
    const branch = await makeBranch(s.dataSource, unit);
    const created = await users.create(newUser({ branchId: branch.id }), actorOf(dept));
    expect(created).toEqual(expect.objectContaining({ unitId: unit.id, branch: { id: branch.id, name: branch.name }, unit: { id: unit.id, name: unit.name } }));
    expect(recorder.placed).toContainEqual([created.id, `unit:${unit.id}`]);
  });

  it('moving a person to another branch moves their unit; a failing listener undoes the move', async () => {
    const [from, to] = [await makeUnit(s.dataSource), await makeUnit(s.dataSource)];
    const person = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, from) });
    const target = await makeBranch(s.dataSource, to);

    recorder.failFor = person.id;
    await expect(users.update(person.id, { branchId: target.id }, actorOf(dept))).rejects.toThrow('enrolment failed');
    expect(await row(person.id)).toEqual(expect.objectContaining({ unitId: from.id }));

    recorder.failFor = null;
    const moved = await users.update(person.id, { branchId: target.id }, actorOf(dept));
    expect(moved).toEqual(expect.objectContaining({ branchId: target.id, unitId: to.id }));
    expect(recorder.placed).toContainEqual([person.id, `unit:${to.id}`]);
  });

  it('a branch moved to another unit takes its people along, and they are placed anew', async () => {
    const [from, to] = [await makeUnit(s.dataSource), await makeUnit(s.dataSource)];
    const branch = await makeBranch(s.dataSource, from);
    const people = [await makeUser(s.dataSource, { branch }), await makeUser(s.dataSource, { branch })];
    await s.get(OrgService).updateBranch(branch.id, { unitId: to.id }, actorOf(dept));
    for (const person of people) expect((await row(person.id)).unitId).toBe(to.id);
    expect(recorder.placed).toContainEqual(expect.arrayContaining([...people.map((p) => p.id), `unit:${to.id}`]));
  });

  it('an admin can neither deactivate themselves nor change their own role', async () => {
    const admin = await makeUser(s.dataSource, { role: 'admin' });
    for (const change of [{ active: false }, { role: 'secretary' as const }]) {
      await expect(users.update(admin.id, change, actorOf(admin))).rejects.toMatchObject({ response: expect.objectContaining({ code: 'SELF_CHANGE' }) });
    }
    expect(await row(admin.id)).toEqual(expect.objectContaining({ role: 'admin', active: true }));
  });

  it('a unit admin lists only their own unit’s people, whatever the filters ask for', async () => {
    const { unit, branch, admin, actor } = await unitWithAdmin();
    const tag = uniq('scope');
    const mine = await makeUser(s.dataSource, { branch, name: `${tag}本单位` });
    const other = await unitWithAdmin();
    const theirs = await makeUser(s.dataSource, { branch: other.branch, name: `${tag}他单位` });
    const query = (filters: Partial<ListUsersQuery> = {}) => Object.assign(new ListUsersQuery(), { pageSize: 100, ...filters });

    const all = await users.list(query(), actor);
    expect(all.items.every((u) => u.unitId === unit.id)).toBe(true);
    expect(all.items.map((u) => u.id).sort()).toEqual([admin.id, mine.id].sort());
    expect((await users.list(query({ q: tag }), actor)).items.map((u) => u.id)).toEqual([mine.id]);
    expect((await users.list(query({ branchId: other.branch.id }), actor)).total).toBe(0);
    expect((await users.list(query({ unitId: other.unit.id }), actor)).total).toBe(0);
    expect((await users.list(query({ q: theirs.username }), actor)).total).toBe(0);
  });

  it('a unit admin creates no admin and changes no admin account; the department does', async () => {
    const { unit, branch, actor } = await unitWithAdmin();
    for (const extra of [{}, { unitId: null }, { unitId: unit.id }]) {
      const body = newUser({ role: 'admin', ...extra });
      await expect(users.create(body, actor)).rejects.toMatchObject({ status: 403, response: expect.objectContaining({ code: 'DEPARTMENT_ONLY' }) });
      expect(await s.dataSource.getRepository(User).countBy({ username: body.username })).toBe(0);
    }
    await expect(users.create(newUser({ role: 'instructor', unitId: unit.id }), actor)).resolves.toMatchObject({ unitId: unit.id });
    const colleague = await makeUser(s.dataSource, { role: 'admin', unitId: unit.id });
    const secretary = await makeUser(s.dataSource, { branch });
    for (const [target, change] of [
      [colleague, { unitId: null }],
      [colleague, { name: '改名' }],
      [secretary, { role: 'admin' as const }],
      [secretary, { role: 'admin' as const, branchId: null, unitId: null }],
    ] as const) {
      await expect(users.update(target.id, change, actor)).rejects.toMatchObject({ status: 403, response: expect.objectContaining({ code: 'DEPARTMENT_ONLY' }) });
      expect(await row(target.id)).toEqual(expect.objectContaining({ unitId: unit.id, role: target.role, name: target.name }));
    }
    await expect(users.resetPassword(colleague.id, actor)).rejects.toMatchObject({ response: expect.objectContaining({ code: 'DEPARTMENT_ONLY' }) });
    expect((await users.update(secretary.id, { role: 'instructor' }, actorOf(dept))).role).toBe('instructor');
  });

  it('a unit admin cannot place anyone in another unit: its branch and unit look like none (404 naming the field)', async () => {
    const { branch, actor } = await unitWithAdmin();
    const other = await unitWithAdmin();
    await expect(users.create(newUser({ branchId: other.branch.id }), actor)).rejects.toMatchObject({
      status: 404,
      response: expect.objectContaining({ errors: [expect.objectContaining({ field: 'branchId' })] }),
    });
    const mine = await makeUser(s.dataSource, { branch });
    await expect(users.update(mine.id, { branchId: null, unitId: other.unit.id }, actor)).rejects.toMatchObject({ status: 404 });
    expect(await row(mine.id)).toEqual(expect.objectContaining({ branchId: branch.id }));
  });

  it('tells other modules who people are and where they sit: labels for a page, subqueries by place', async () => {
    const unit = await makeUnit(s.dataSource);
    const branch = await makeBranch(s.dataSource, unit);
    const [learner, instructor] = [await makeUser(s.dataSource, { branch }), await makeUser(s.dataSource, { role: 'instructor', unitId: unit.id })];
    const labels = await s.get(UserLabelsService).byIds([learner.id, instructor.id, learner.id]);
    expect(labels.get(learner.id)).toEqual(expect.objectContaining({ username: learner.username, name: learner.name, unit: unit.name, branch: branch.name }));
    expect(labels.get(instructor.id)).toEqual(expect.objectContaining({ unit: unit.name, branch: null }));

    const repository = s.get(UsersRepository);
    const ids = async (sub: { sql: string; params: unknown[] }) =>
      ((await s.dataSource.query(`SELECT id FROM (${sub.sql}) x ORDER BY id`, sub.params)) as { id: string }[]).map((r) => String(r.id));
    expect(await ids(repository.idsInUnit(unit.id))).toEqual([learner.id, instructor.id].sort((a, b) => Number(a) - Number(b)));
    expect(await ids(repository.idsInBranch(branch.id))).toEqual([learner.id]);
    const learners = await ids(repository.learnerIds());
    expect(learners).toContain(learner.id);
    expect(learners).not.toContain(instructor.id);
  });

  it('a password change needs the current password and a new one, and ends every earlier session', async () => {
    const person = await makeUser(s.dataSource);
    await expect(users.changePassword(person.id, 'wrong-password', 'new-password-1')).rejects.toMatchObject({
      response: expect.objectContaining({ code: 'BAD_CURRENT_PASSWORD' }),
    });
    await expect(users.changePassword(person.id, 'password123', 'password123')).rejects.toMatchObject({
      response: expect.objectContaining({ code: 'PASSWORD_UNCHANGED' }),
    });
    const changed = await users.changePassword(person.id, 'password123', 'new-password-1');
    expect(changed.tokenVersion).toBe(person.tokenVersion + 1);
    expect(changed.mustChangePassword).toBe(false);
  });
});
