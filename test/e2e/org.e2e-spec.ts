import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { signedInRoles } from '../factories/signed-in-roles';
import { expectBadRequestNaming, expectStatus } from '../support/http-expectations';
import { createTestApp, TestApp } from '../support/test-app';

describe('organization: units and branches (e2e)', () => {
  let t: TestApp;
  let dept: string;
  let secretaryToken: string;
  let instructorToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ dept, secretaryToken, instructorToken } = await signedInRoles(t));
  });
  afterAll(() => t.close());

  /** A unit with its own unit admin, signed in. */
  async function unitWithAdmin() {
    const unit = await makeUnit(t.dataSource);
    const admin = await makeUser(t.dataSource, { role: 'admin', unitId: unit.id });
    return { unit, admin, token: await t.login(admin.username) };
  }

  describe('units', () => {
    it('POST /api/units creates a unit (201 with id, name, code) that GET returns', async () => {
      const name = uniq('计算机学院党委');
      const code = uniq('CS-');
      const created = await t.post('/api/units', { name, code }, dept);
      expectStatus(created, 201);
      const body = created.json();
      expect(body).toEqual(expect.objectContaining({ name, code }));
      expect(typeof body.id).toBe('string');
      expect(body.id).toMatch(/^[1-9]\d*$/);

      const fetched = await t.get(`/api/units/${body.id}`, dept);
      expectStatus(fetched, 200);
      expect(fetched.json()).toEqual(expect.objectContaining({ id: body.id, name, code }));
      expect(await t.dataSource.getRepository(Unit).findOneBy({ id: body.id })).toEqual(expect.objectContaining({ name, code }));
    });

    it('trims names and codes', async () => {
      const name = uniq('外国语学院党委');
      const code = uniq('FL');
      const created = await t.post('/api/units', { name: `  ${name} `, code: ` ${code}  ` }, dept);
      expectStatus(created, 201);
      expect(created.json()).toEqual(expect.objectContaining({ name, code }));
    });

    it('answers 400 naming the field for missing, empty, too long, mistyped and unknown fields', async () => {
      expectBadRequestNaming(await t.post('/api/units', {}, dept), 'name', 'code');
      expectBadRequestNaming(await t.post('/api/units', { name: '   ', code: uniq('C') }, dept), 'name');
      expectBadRequestNaming(await t.post('/api/units', { name: 'x'.repeat(101), code: uniq('C') }, dept), 'name');
      expectBadRequestNaming(await t.post('/api/units', { name: 42, code: uniq('C') }, dept), 'name');
      expectBadRequestNaming(await t.post('/api/units', { name: uniq('n'), code: 'has space' }, dept), 'code');
      expectBadRequestNaming(await t.post('/api/units', { name: uniq('n'), code: 'c'.repeat(51) }, dept), 'code');
      expectBadRequestNaming(await t.post('/api/units', { name: uniq('n'), code: uniq('C'), color: 'red' }, dept), 'color');
    });

    it('answers 400, never 500, for bodies that are not JSON objects', async () => {
      for (const payload of ['[1,2]', '"text"', 'null', '{"name": ']) {
        const response = await t.request({
          method: 'POST',
          url: '/api/units',
          headers: { 'content-type': 'application/json' },
          payload,
          token: dept,
        });
        expect({ payload, status: response.statusCode }).toEqual({ payload, status: 400 });
      }
    });

    it('answers 409 for a duplicate name or code, on create and on rename', async () => {
      const existing = await makeUnit(t.dataSource);
      const dupName = await t.post('/api/units', { name: existing.name, code: uniq('C') }, dept);
      expectStatus(dupName, 409);
      expect(dupName.json()).toEqual(expect.objectContaining({ statusCode: 409, error: 'Conflict' }));
      expectStatus(await t.post('/api/units', { name: ` ${existing.name} `, code: uniq('C') }, dept), 409);
      expectStatus(await t.post('/api/units', { name: uniq('新党委'), code: existing.code }, dept), 409);

      const other = await makeUnit(t.dataSource);
      expectStatus(await t.patch(`/api/units/${other.id}`, { name: existing.name }, dept), 409);
      expectStatus(await t.patch(`/api/units/${other.id}`, { code: existing.code }, dept), 409);
      expect(await t.dataSource.getRepository(Unit).findOneBy({ id: other.id })).toEqual(
        expect.objectContaining({ name: other.name, code: other.code }),
      );
    });

    it('answers 409, never 500, when the same unit is created twice at once', async () => {
      const body = { name: uniq('并发党委'), code: uniq('RACE') };
      const responses = await Promise.all([t.post('/api/units', body, dept), t.post('/api/units', body, dept)]);
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(await t.dataSource.getRepository(Unit).countBy({ code: body.code })).toBe(1);
    });

    it('PATCH /api/units/:id changes name and code, keeps what is not sent, and allows keeping its own name', async () => {
      const unit = await makeUnit(t.dataSource);
      const name = uniq('改名党委');
      const renamed = await t.patch(`/api/units/${unit.id}`, { name }, dept);
      expectStatus(renamed, 200);
      expect(await t.dataSource.getRepository(Unit).findOneBy({ id: unit.id })).toEqual(expect.objectContaining({ name, code: unit.code }));
      expect(renamed.json()).toEqual(expect.objectContaining({ id: unit.id, name, code: unit.code }));

      const code = uniq('NEW');
      const recoded = await t.patch(`/api/units/${unit.id}`, { name, code }, dept);
      expectStatus(recoded, 200);
      expect(recoded.json()).toEqual(expect.objectContaining({ id: unit.id, name, code }));
      expect((await t.get(`/api/units/${unit.id}`, dept)).json()).toEqual(expect.objectContaining({ name, code }));

      expectBadRequestNaming(await t.patch(`/api/units/${unit.id}`, { name: '' }, dept), 'name');
      expectBadRequestNaming(await t.patch(`/api/units/${unit.id}`, { code: 'bad code!' }, dept), 'code');
    });

    it('lists units with search and pagination', async () => {
      const tag = uniq('unitlist');
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await makeUnit(t.dataSource, { name: `${tag}党委${i}`, code: uniq('L') }));
      const byCode = await makeUnit(t.dataSource, { name: uniq('按代码'), code: `${tag}-code` });

      const all = await t.get(`/api/units?q=${tag}`, dept);
      expectStatus(all, 200);
      expect(all.json().total).toBe(4);
      expect(all.json().items.map((u: Unit) => u.id).sort()).toEqual([...made, byCode].map((u) => u.id).sort());

      const page1 = (await t.get(`/api/units?q=${tag}&pageSize=3&page=1`, dept)).json();
      const page2 = (await t.get(`/api/units?q=${tag}&pageSize=3&page=2`, dept)).json();
      expect(page1.items).toHaveLength(3);
      expect(page2.items).toHaveLength(1);
      expect(page1.total).toBe(4);
      expect(page2.total).toBe(4);
      const ids = [...page1.items, ...page2.items].map((u: Unit) => u.id);
      expect(new Set(ids).size).toBe(4);

      const none = (await t.get(`/api/units?q=${uniq('nomatch')}`, dept)).json();
      expect(none).toEqual(expect.objectContaining({ items: [], total: 0 }));
    });

    it('answers 400 naming the parameter for bad pagination', async () => {
      expectBadRequestNaming(await t.get('/api/units?page=0', dept), 'page');
      expectBadRequestNaming(await t.get('/api/units?page=abc', dept), 'page');
      expectBadRequestNaming(await t.get('/api/units?page=1.5', dept), 'page');
      expectBadRequestNaming(await t.get('/api/units?pageSize=0', dept), 'pageSize');
      expectBadRequestNaming(await t.get('/api/units?pageSize=101', dept), 'pageSize');
      expectBadRequestNaming(await t.get(`/api/units?q=${'x'.repeat(101)}`, dept), 'q');
    });

    it('answers 400, never 500, for a page number too large to turn into an offset', async () => {
      expectBadRequestNaming(await t.get('/api/units?page=1e300', dept), 'page');
    });

    it('answers 404 for unknown and malformed unit ids', async () => {
      const unit = await makeUnit(t.dataSource);
      const unknown = String(BigInt(unit.id) + 1_000_000n);
      const response = await t.get(`/api/units/${unknown}`, dept);
      expectStatus(response, 404);
      expect(response.json()).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found' }));
      expectStatus(await t.patch(`/api/units/${unknown}`, { name: uniq('x') }, dept), 404);
      for (const bad of ['abc', '0', '-1', '1.5', '01', '99999999999999999999999']) {
        expect({ bad, status: (await t.get(`/api/units/${bad}`, dept)).statusCode }).toEqual({ bad, status: 404 });
        expect({ bad, status: (await t.patch(`/api/units/${bad}`, { name: uniq('x') }, dept)).statusCode }).toEqual({ bad, status: 404 });
      }
    });
  });

  describe('branches', () => {
    it('POST /api/branches creates a branch (201 with id, unitId, name, code, default kind) that GET returns', async () => {
      const unit = await makeUnit(t.dataSource);
      const name = uniq('教工第一党支部');
      const code = uniq('B-');
      const created = await t.post('/api/branches', { unitId: unit.id, name, code }, dept);
      expectStatus(created, 201);
      const body = created.json();
      expect(body).toEqual(expect.objectContaining({ unitId: unit.id, name, code, kind: 'staff' }));
      expect(body.id).toMatch(/^[1-9]\d*$/);

      const fetched = await t.get(`/api/branches/${body.id}`, dept);
      expectStatus(fetched, 200);
      expect(fetched.json()).toEqual(
        expect.objectContaining({ id: body.id, unitId: unit.id, name, code, kind: 'staff', unit: { id: unit.id, name: unit.name } }),
      );

      const student = await t.post('/api/branches', { unitId: unit.id, name: uniq('学生党支部'), code: uniq('S-'), kind: 'student' }, dept);
      expectStatus(student, 201);
      expect(student.json().kind).toBe('student');
    });

    it('answers 400 naming the field for bad input', async () => {
      const unit = await makeUnit(t.dataSource);
      expectBadRequestNaming(await t.post('/api/branches', {}, dept), 'unitId', 'name', 'code');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: 'abc', name: uniq('n'), code: uniq('c') }, dept), 'unitId');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: Number(unit.id), name: uniq('n'), code: uniq('c') }, dept), 'unitId');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: unit.id, name: '  ', code: uniq('c') }, dept), 'name');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: unit.id, name: uniq('n'), code: '中文' }, dept), 'code');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: unit.id, name: uniq('n'), code: uniq('c'), kind: 'retired' }, dept), 'kind');
      expectBadRequestNaming(await t.post('/api/branches', { unitId: unit.id, name: uniq('n'), code: uniq('c'), secret: 1 }, dept), 'secret');
    });

    it('answers 404 naming unitId when the unit does not exist', async () => {
      const unit = await makeUnit(t.dataSource);
      const response = await t.post('/api/branches', { unitId: String(BigInt(unit.id) + 1_000_000n), name: uniq('n'), code: uniq('c') }, dept);
      expectStatus(response, 404);
      expect(JSON.stringify(response.json())).toContain('unitId');
    });

    it('answers 409 for a duplicate name in the same unit or a duplicate code anywhere, but allows the same name in another unit', async () => {
      const unit = await makeUnit(t.dataSource);
      const existing = await makeBranch(t.dataSource, unit);
      const dupName = await t.post('/api/branches', { unitId: unit.id, name: existing.name, code: uniq('c') }, dept);
      expectStatus(dupName, 409);
      expect(dupName.json()).toEqual(expect.objectContaining({ statusCode: 409, error: 'Conflict' }));

      const otherUnit = await makeUnit(t.dataSource);
      expectStatus(await t.post('/api/branches', { unitId: otherUnit.id, name: uniq('n'), code: existing.code }, dept), 409);
      const sameNameElsewhere = await t.post('/api/branches', { unitId: otherUnit.id, name: existing.name, code: uniq('c') }, dept);
      expectStatus(sameNameElsewhere, 201);
      expect(sameNameElsewhere.json()).toEqual(expect.objectContaining({ unitId: otherUnit.id, name: existing.name }));
    });

    it('PATCH /api/branches/:id changes name, code and kind, and answers 409 on clashes', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const sibling = await makeBranch(t.dataSource, unit);

      const name = uniq('改名支部');
      const code = uniq('NB');
      const updated = await t.patch(`/api/branches/${branch.id}`, { name, code, kind: 'student' }, dept);
      expectStatus(updated, 200);
      expect(updated.json()).toEqual(expect.objectContaining({ id: branch.id, unitId: unit.id, name, code, kind: 'student' }));
      expect(await t.dataSource.getRepository(Branch).findOneBy({ id: branch.id })).toEqual(
        expect.objectContaining({ name, code, kind: 'student' }),
      );

      // Keeping its own name and code is no conflict.
      expectStatus(await t.patch(`/api/branches/${branch.id}`, { name, code }, dept), 200);
      expectStatus(await t.patch(`/api/branches/${branch.id}`, { name: sibling.name }, dept), 409);
      expectStatus(await t.patch(`/api/branches/${branch.id}`, { code: sibling.code }, dept), 409);
      expectBadRequestNaming(await t.patch(`/api/branches/${branch.id}`, { kind: 'other' }, dept), 'kind');
      expectBadRequestNaming(await t.patch(`/api/branches/${branch.id}`, { unitId: 'x1' }, dept), 'unitId');
    });

    it('moves a branch to another unit, and answers 409 (not 500) when that unit already has a branch of that name', async () => {
      const from = await makeUnit(t.dataSource);
      const to = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, from);
      const moved = await t.patch(`/api/branches/${branch.id}`, { unitId: to.id }, dept);
      expectStatus(moved, 200);
      expect(moved.json()).toEqual(expect.objectContaining({ id: branch.id, unitId: to.id, unit: { id: to.id, name: to.name } }));

      const clash = await makeBranch(t.dataSource, from);
      await makeBranch(t.dataSource, to, { name: clash.name });
      expectStatus(await t.patch(`/api/branches/${clash.id}`, { unitId: to.id }, dept), 409);
      expect((await t.dataSource.getRepository(Branch).findOneBy({ id: clash.id }))?.unitId).toBe(from.id);
    });

    it('lists branches filtered by unitId, kind and q, with pagination', async () => {
      const unit = await makeUnit(t.dataSource);
      const other = await makeUnit(t.dataSource);
      const tag = uniq('brlist');
      const staff = [];
      for (let i = 0; i < 3; i++) staff.push(await makeBranch(t.dataSource, unit, { name: `${tag}教工${i}`, code: uniq('L') }));
      const student = await makeBranch(t.dataSource, unit, { name: uniq('学生'), code: `${tag}-s`, kind: 'student' });
      const elsewhere = await makeBranch(t.dataSource, other, { name: `${tag}别处`, code: uniq('E') });

      const byUnit = (await t.get(`/api/branches?unitId=${unit.id}`, dept)).json();
      expect(byUnit.total).toBe(4);
      expect(byUnit.items.map((b: Branch) => b.id).sort()).toEqual([...staff, student].map((b) => b.id).sort());
      expect(byUnit.items.every((b: Branch) => b.unitId === unit.id)).toBe(true);

      const students = (await t.get(`/api/branches?unitId=${unit.id}&kind=student`, dept)).json();
      expect(students.items.map((b: Branch) => b.id)).toEqual([student.id]);
      expect(students.total).toBe(1);

      const searched = (await t.get(`/api/branches?q=${tag}`, dept)).json();
      expect(searched.items.map((b: Branch) => b.id).sort()).toEqual([...staff, student, elsewhere].map((b) => b.id).sort());
      const searchedInUnit = (await t.get(`/api/branches?q=${tag}&unitId=${other.id}`, dept)).json();
      expect(searchedInUnit.items.map((b: Branch) => b.id)).toEqual([elsewhere.id]);

      const page1 = (await t.get(`/api/branches?unitId=${unit.id}&pageSize=3&page=1`, dept)).json();
      const page2 = (await t.get(`/api/branches?unitId=${unit.id}&pageSize=3&page=2`, dept)).json();
      const page3 = (await t.get(`/api/branches?unitId=${unit.id}&pageSize=3&page=3`, dept)).json();
      expect(page1).toEqual(expect.objectContaining({ total: 4, page: 1, pageSize: 3 }));
      expect(page1.items).toHaveLength(3);
      expect(page2.items).toHaveLength(1);
      expect(page3).toEqual(expect.objectContaining({ items: [], total: 4 }));
      expect(new Set([...page1.items, ...page2.items].map((b: Branch) => b.id)).size).toBe(4);
    });

    it('answers 400 naming the parameter for bad list filters', async () => {
      expectBadRequestNaming(await t.get('/api/branches?unitId=abc', dept), 'unitId');
      expectBadRequestNaming(await t.get('/api/branches?kind=retired', dept), 'kind');
      expectBadRequestNaming(await t.get('/api/branches?pageSize=500', dept), 'pageSize');
      expectBadRequestNaming(await t.get('/api/branches?sort=name', dept), 'sort');
    });

    it('answers 404 for unknown and malformed branch ids', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      const unknown = String(BigInt(branch.id) + 1_000_000n);
      expectStatus(await t.get(`/api/branches/${unknown}`, dept), 404);
      expectStatus(await t.patch(`/api/branches/${unknown}`, { name: uniq('x') }, dept), 404);
      for (const bad of ['abc', '0', '-5', '2.0', '1e3', '99999999999999999999999']) {
        expect({ bad, status: (await t.get(`/api/branches/${bad}`, dept)).statusCode }).toEqual({ bad, status: 404 });
        expect({ bad, status: (await t.patch(`/api/branches/${bad}`, { name: uniq('x') }, dept)).statusCode }).toEqual({ bad, status: 404 });
      }
    });
  });

  describe('role boundaries', () => {
    it('answers 401 without a token', async () => {
      const unit = await makeUnit(t.dataSource);
      for (const response of [
        await t.get('/api/units'),
        await t.post('/api/units', { name: uniq('n'), code: uniq('c') }),
        await t.get(`/api/units/${unit.id}`),
        await t.get('/api/branches'),
        await t.post('/api/branches', { unitId: unit.id, name: uniq('n'), code: uniq('c') }),
      ]) {
        expect(response.statusCode).toBe(401);
      }
    });

    it('answers 403 to secretaries and instructors on every organization route, and changes nothing', async () => {
      const unit = await makeUnit(t.dataSource);
      const branch = await makeBranch(t.dataSource, unit);
      for (const token of [secretaryToken, instructorToken]) {
        const unitName = uniq('越权党委');
        const branchCode = uniq('X');
        const responses = [
          await t.post('/api/units', { name: unitName, code: uniq('c') }, token),
          await t.get('/api/units', token),
          await t.get(`/api/units/${unit.id}`, token),
          await t.patch(`/api/units/${unit.id}`, { name: uniq('n') }, token),
          await t.post('/api/branches', { unitId: unit.id, name: uniq('n'), code: branchCode }, token),
          await t.get('/api/branches', token),
          await t.get(`/api/branches/${branch.id}`, token),
          await t.patch(`/api/branches/${branch.id}`, { name: uniq('n') }, token),
        ];
        for (const response of responses) {
          expect(response.statusCode).toBe(403);
          expect(response.json()).toEqual(expect.objectContaining({ statusCode: 403, error: 'Forbidden' }));
        }
        expect(await t.dataSource.getRepository(Unit).countBy({ name: unitName })).toBe(0);
        expect(await t.dataSource.getRepository(Branch).countBy({ code: branchCode })).toBe(0);
      }
      expect(await t.dataSource.getRepository(Unit).findOneBy({ id: unit.id })).toEqual(expect.objectContaining({ name: unit.name }));
      expect(await t.dataSource.getRepository(Branch).findOneBy({ id: branch.id })).toEqual(expect.objectContaining({ name: branch.name }));
    });
  });

  describe('unit admin', () => {
    it('cannot create units (403)', async () => {
      const { token } = await unitWithAdmin();
      const name = uniq('自建党委');
      const response = await t.post('/api/units', { name, code: uniq('c') }, token);
      expectStatus(response, 403);
      expect(await t.dataSource.getRepository(Unit).countBy({ name })).toBe(0);
    });

    it('sees only their own unit in the unit list and answers 404 for another unit', async () => {
      const { unit, token } = await unitWithAdmin();
      const other = await makeUnit(t.dataSource);
      const list = await t.get('/api/units?pageSize=100', token);
      expectStatus(list, 200);
      expect(list.json().items.map((u: Unit) => u.id)).toEqual([unit.id]);
      expect(list.json().total).toBe(1);
      expect((await t.get(`/api/units?q=${encodeURIComponent(other.name)}`, token)).json().total).toBe(0);

      expectStatus(await t.get(`/api/units/${unit.id}`, token), 200);
      expectStatus(await t.get(`/api/units/${other.id}`, token), 404);
      expectStatus(await t.patch(`/api/units/${other.id}`, { name: uniq('夺权') }, token), 404);
      expect(await t.dataSource.getRepository(Unit).findOneBy({ id: other.id })).toEqual(expect.objectContaining({ name: other.name }));
    });

    it('sees only their own unit\'s branches, even when asking for another unit', async () => {
      const { unit, token } = await unitWithAdmin();
      const other = await makeUnit(t.dataSource);
      const mine = [await makeBranch(t.dataSource, unit), await makeBranch(t.dataSource, unit)];
      const theirs = await makeBranch(t.dataSource, other);

      const list = await t.get('/api/branches?pageSize=100', token);
      expectStatus(list, 200);
      expect(list.json().total).toBe(2);
      expect(list.json().items.map((b: Branch) => b.id).sort()).toEqual(mine.map((b) => b.id).sort());

      const asked = (await t.get(`/api/branches?unitId=${other.id}`, token)).json();
      expect(asked).toEqual(expect.objectContaining({ items: [], total: 0 }));
      expect((await t.get(`/api/branches?q=${theirs.code}`, token)).json().total).toBe(0);
    });

    it('gets 404 for another unit\'s branch on GET and PATCH, and the branch stays unchanged', async () => {
      const { unit, token } = await unitWithAdmin();
      const own = await makeBranch(t.dataSource, unit);
      const other = await makeUnit(t.dataSource);
      const theirs = await makeBranch(t.dataSource, other);

      expectStatus(await t.get(`/api/branches/${own.id}`, token), 200);
      const get = await t.get(`/api/branches/${theirs.id}`, token);
      expectStatus(get, 404);
      expect(get.body).not.toContain(theirs.name);
      expectStatus(await t.patch(`/api/branches/${theirs.id}`, { name: uniq('夺权支部') }, token), 404);
      expectStatus(await t.patch(`/api/branches/${theirs.id}`, { unitId: unit.id }, token), 404);
      expect(await t.dataSource.getRepository(Branch).findOneBy({ id: theirs.id })).toEqual(
        expect.objectContaining({ name: theirs.name, unitId: other.id }),
      );
    });

    it('creates and edits branches in their own unit but not in another unit', async () => {
      const { unit, token } = await unitWithAdmin();
      const other = await makeUnit(t.dataSource);

      const created = await t.post('/api/branches', { unitId: unit.id, name: uniq('本单位支部'), code: uniq('OWN') }, token);
      expectStatus(created, 201);
      expect(created.json().unitId).toBe(unit.id);
      const renamed = await t.patch(`/api/branches/${created.json().id}`, { name: uniq('改名') }, token);
      expectStatus(renamed, 200);

      const code = uniq('FOREIGN');
      const foreign = await t.post('/api/branches', { unitId: other.id, name: uniq('他单位支部'), code }, token);
      expectStatus(foreign, 404);
      expect(await t.dataSource.getRepository(Branch).countBy({ code })).toBe(0);

      // Nor may they move their own branch into another unit.
      const moved = await t.patch(`/api/branches/${created.json().id}`, { unitId: other.id }, token);
      expectStatus(moved, 404);
      expect((await t.dataSource.getRepository(Branch).findOneBy({ id: created.json().id }))?.unitId).toBe(unit.id);
    });
  });

  it('moves a branch’s people with it to the new unit, where that unit’s admin sees them and its courses enrol them', async () => {
    const from = await makeUnit(t.dataSource);
    const to = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, from);
    const person = await makeUser(t.dataSource, { branch });
    const course = await t.post('/api/courses', { title: uniq('培训班'), startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString() }, dept);
    expectStatus(await t.post(`/api/courses/${course.json().id}/enrollments`, { unitIds: [to.id] }, dept), 200);

    expectStatus(await t.patch(`/api/branches/${branch.id}`, { unitId: to.id }, dept), 200);
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ id: person.id })).unitId).toBe(to.id);
    const toAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: to.id })).username);
    expectStatus(await t.get(`/api/users/${person.id}`, toAdmin), 200);
    const enrolled = await t.get(`/api/courses/${course.json().id}/enrollments`, dept);
    expect(enrolled.json().items.map((e: { user: { id: string } }) => e.user.id)).toContain(person.id);
  });
});
