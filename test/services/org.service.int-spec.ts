import { Injectable } from '@nestjs/common';
import type { InTransactionEvents } from '../../src/events/event-map';
import { OnEventInTransaction } from '../../src/events/on-event.decorator';
import { ListBranchesQuery, ListUnitsQuery } from '../../src/org/dto/org.dto';
import { OrgModule } from '../../src/org/org.module';
import { OrgService } from '../../src/org/org.service';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { actorOf } from './actors';

/** Stands in for the users module, which moves a branch's people when the branch moves. */
@Injectable()
class BranchMoves {
  readonly moves: InTransactionEvents['branch.moved'][] = [];

  @OnEventInTransaction('branch.moved')
  async record(event: InTransactionEvents['branch.moved']): Promise<void> {
    this.moves.push(event);
  }
}

describe('OrgService (real database)', () => {
  let s: ServiceModule;
  let org: OrgService;

  beforeAll(async () => {
    s = await createServiceModule({ imports: [OrgModule], providers: [BranchMoves] });
    org = s.get(OrgService);
  });
  afterAll(() => s.close());

  const dept = async () => actorOf(await makeUser(s.dataSource, { role: 'admin' }));
  const unitsQuery = (filters: Partial<ListUnitsQuery>) => Object.assign(new ListUnitsQuery(), { pageSize: 100, ...filters });
  const branchesQuery = (filters: Partial<ListBranchesQuery>) => Object.assign(new ListBranchesQuery(), { pageSize: 100, ...filters });

  it('a unit admin sees only their own unit and its branches, and may not create units', async () => {
    const [mine, theirs] = [await makeUnit(s.dataSource), await makeUnit(s.dataSource)];
    const theirBranch = await makeBranch(s.dataSource, theirs);
    const admin = actorOf(await makeUser(s.dataSource, { role: 'admin', unitId: mine.id }));
    expect((await org.listUnits(unitsQuery({}), admin)).items.map((u) => u.id)).toEqual([mine.id]);
    expect((await org.listBranches(branchesQuery({ unitId: theirs.id }), admin)).total).toBe(0);
    await expect(org.getBranch(theirBranch.id, admin)).rejects.toMatchObject({ status: 404 });
    await expect(org.getUnit(theirs.id, admin)).rejects.toMatchObject({ status: 404 });
    await expect(org.createUnit({ name: uniq('新单位'), code: uniq('N') }, admin)).rejects.toMatchObject({
      response: expect.objectContaining({ code: 'DEPARTMENT_ONLY' }),
    });
  });

  it('names and codes are unique: a unit’s among units, a branch’s name within its unit and its code everywhere', async () => {
    const actor = await dept();
    const unit = await makeUnit(s.dataSource);
    await expect(org.createUnit({ name: unit.name, code: uniq('C') }, actor)).rejects.toMatchObject({ status: 409, response: expect.objectContaining({ field: 'name' }) });
    const branch = await makeBranch(s.dataSource, unit);
    await expect(org.createBranch({ unitId: unit.id, name: branch.name, code: uniq('C') }, actor)).rejects.toMatchObject({ status: 409 });
    const elsewhere = await makeUnit(s.dataSource);
    await expect(org.createBranch({ unitId: elsewhere.id, name: uniq('x'), code: branch.code }, actor)).rejects.toMatchObject({ status: 409 });
    await expect(org.createBranch({ unitId: elsewhere.id, name: branch.name, code: uniq('C') }, actor)).resolves.toMatchObject({ unitId: elsewhere.id });
  });

  it('treats % and _ in a search literally', async () => {
    const actor = await dept();
    const tag = uniq();
    const literal = await makeUnit(s.dataSource, { name: `百分${tag}%_号` });
    await makeUnit(s.dataSource, { name: `百分${tag}ab号` });
    expect((await org.listUnits(unitsQuery({ q: `${tag}%_` }), actor)).items.map((u) => u.id)).toEqual([literal.id]);
  });

  it('a branch moved to another unit tells the users module in the same transaction; a rename does not', async () => {
    const actor = await dept();
    const [from, to] = [await makeUnit(s.dataSource), await makeUnit(s.dataSource)];
    const branch = await makeBranch(s.dataSource, from);
    const moves = s.get(BranchMoves).moves;
    await org.updateBranch(branch.id, { name: uniq('改名') }, actor);
    expect(moves.filter((m) => m.branchId === branch.id)).toEqual([]);
    const moved = await org.updateBranch(branch.id, { unitId: to.id }, actor);
    expect(moved.unit).toEqual({ id: to.id, name: to.name });
    expect(moves).toContainEqual({ branchId: branch.id, unitId: to.id });
  });
});
