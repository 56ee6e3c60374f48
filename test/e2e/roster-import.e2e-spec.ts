import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { Branch } from '../../src/org/branch.entity';
import { Unit } from '../../src/org/unit.entity';
import { User } from '../../src/users/user.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { signedInAdmin } from '../factories/signed-in-roles';
import { multipartFile } from '../support/multipart';
import { createTestApp, TestApp } from '../support/test-app';

const BOM = '\uFEFF';

describe('roster import (POST /api/users/import)', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await signedInAdmin(t);
  });
  afterAll(() => t.close());

  const upload = (content: Buffer | string, token = adminToken, query = '', filename = 'roster.csv') =>
    t.request({ method: 'POST', url: `/api/users/import${query}`, token, ...multipartFile('file', filename, content) });
  const countUsers = () => t.dataSource.getRepository(User).count();

  /** A roster with a fresh unit and two branches, so each test owns its data. */
  function roster(size = 3) {
    const tag = uniq();
    const unit = `测试学院党委${tag}`;
    const people = Array.from({ length: size }, (_, i) => ({
      username: `R${tag}${String(i).padStart(5, '0')}`,
      name: `名册${tag}${i}`,
      unit,
      branch: i % 2 === 0 ? `教工第一党支部${tag}` : `研究生第二党支部${tag}`,
      email: `r${tag}${i}@example.edu.cn`,
    }));
    const csv = (rows = people) =>
      ['工号,姓名,单位,支部,邮箱', ...rows.map((p) => [p.username, p.name, p.unit, p.branch, p.email].join(','))].join('\r\n');
    return { tag, unit, people, csv };
  }

  it('creates people, their unit and branches from a UTF-8 CSV with BOM and Chinese headers, and hands out initial passwords', async () => {
    const { unit, people, csv } = roster(3);
    const response = await upload(BOM + csv());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ applied: true, format: 'csv', encoding: 'utf-8', rows: 3, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(body.unitsCreated).toEqual([unit]);
    expect(body.branchesCreated).toHaveLength(2);
    expect(body.credentials).toHaveLength(3);

    const stored = await t.dataSource.getRepository(User).findOneOrFail({ where: { username: people[1].username }, relations: { branch: true, unit: true } });
    expect(stored).toMatchObject({ name: people[1].name, role: 'secretary', email: people[1].email, mustChangePassword: true });
    expect(stored.unit?.name).toBe(unit);
    expect(stored.branch).toMatchObject({ name: people[1].branch, kind: 'student' });
    const hash = await t.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: stored.id }).getOneOrFail();
    const credential = body.credentials.find((c: { username: string }) => c.username === people[1].username);
    expect(hash.passwordHash).not.toContain(credential.initialPassword);

    // The initial password signs in, and the account must choose its own password first.
    const login = await t.post('/api/auth/login', { username: people[1].username, password: credential.initialPassword });
    expect(login.statusCode).toBe(200);
    const me = await t.get('/api/me', login.json().accessToken);
    expect(me.statusCode).toBe(200);
    expect(me.json().mustChangePassword).toBe(true);
  });

  it('changes nothing when the same file is imported again, and updates only what changed', async () => {
    const { people, csv } = roster(4);
    expect((await upload(csv())).json().created).toBe(4);
    const before = await countUsers();

    const again = await upload(csv());
    expect(again.json()).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 4, credentials: [], unitsCreated: [], branchesCreated: [] });
    expect(await countUsers()).toBe(before);

    const edited = people.map((p, i) => (i === 1 ? { ...p, name: `${p.name}改`, branch: people[0].branch } : p));
    const update = await upload(csv(edited));
    expect(update.json()).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    expect(update.json().changes).toEqual([
      { row: 3, username: people[1].username, name: `${people[1].name}改`, action: 'update', fields: ['name', 'branch'] },
    ]);
    const moved = await t.dataSource.getRepository(User).findOneOrFail({ where: { username: people[1].username }, relations: { branch: true } });
    expect(moved.name).toBe(`${people[1].name}改`);
    expect(moved.branch?.name).toBe(people[0].branch);
  });

  it('reads a GBK CSV as Excel in China saves it', async () => {
    const { people, csv } = roster(2);
    const response = await upload(iconv.encode(csv(), 'gbk'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ encoding: 'gbk', created: 2, errors: [] });
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ username: people[0].username });
    expect(stored.name).toBe(people[0].name);
  });

  it('reads XLSX with English headers, numeric staff numbers and a role column', async () => {
    const tag = uniq();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名册');
    sheet.addRow(['Username', 'Name', 'Unit', 'Branch', 'Role', 'Phone']);
    const base = 7_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
    sheet.addRow([base, `表格${tag}甲`, `表格学院${tag}`, `本科生党支部${tag}`, '书记', '13800000000']);
    sheet.addRow([base + 1, `表格${tag}乙`, `表格学院${tag}`, null, '教师', null]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const response = await upload(file, adminToken, '', 'roster.xlsx');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ format: 'xlsx', created: 2, errors: [] });
    const secretary = await t.dataSource.getRepository(User).findOneOrFail({ where: { username: String(base) }, relations: { branch: true } });
    expect(secretary).toMatchObject({ role: 'secretary', phone: '13800000000' });
    expect(secretary.branch?.kind).toBe('student');
    const instructor = await t.dataSource.getRepository(User).findOneByOrFail({ username: String(base + 1) });
    expect(instructor).toMatchObject({ role: 'instructor', branchId: null });
    expect(instructor.unitId).toBe(secretary.unitId);
  });

  it('previews with dryRun=true and writes nothing', async () => {
    const { unit, csv } = roster(3);
    const before = await countUsers();
    const response = await upload(csv(), adminToken, '?dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, applied: false, created: 3, credentials: [], unitsCreated: [unit] });
    expect(response.json().changes.map((c: { action: string }) => c.action)).toEqual(['create', 'create', 'create']);
    expect(await countUsers()).toBe(before);
    expect(await t.dataSource.getRepository(Unit).countBy({ name: unit })).toBe(0);
  });

  it('rejects a file with any bad row, lists every one with its row number, and changes nothing', async () => {
    const { unit, people, csv } = roster(3);
    const existingAdmin = await makeUser(t.dataSource, { role: 'admin' });
    const bad = [
      ...people,
      { ...people[0], name: '重复' },
      { username: '', name: '无工号', unit, branch: people[0].branch, email: '' },
      { username: `X${uniq()}`, name: '坏邮箱', unit, branch: people[0].branch, email: 'not-an-email' },
      { username: `Y${uniq()}`, name: '无支部', unit, branch: '', email: '' },
      { username: existingAdmin.username, name: '管理员', unit, branch: people[0].branch, email: '' },
    ];
    // A role cell that happens to name a built-in JavaScript property is just an unknown role.
    const withRole = ['工号,姓名,单位,支部,角色', `Z${uniq()},原型,${unit},${people[0].branch},constructor`].join('\n');
    const oddRole = await upload(withRole);
    expect(oddRole.statusCode).toBe(200);
    expect(oddRole.json().errors).toEqual([{ row: 2, message: expect.stringContaining('角色「constructor」无法识别') }]);
    const before = await countUsers();
    const response = await upload(csv(bad));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ applied: false, created: 0, updated: 0, credentials: [] });
    expect(body.errors.map((e: { row: number }) => e.row)).toEqual([5, 6, 7, 8, 9]);
    expect(body.errors[0].message).toContain('重复');
    expect(body.errors[1].message).toContain('缺少工号');
    expect(body.errors[2].message).toContain('not-an-email');
    expect(body.errors[3].message).toContain('缺少所在支部');
    expect(body.errors[4].message).toContain('管理员');
    expect(await countUsers()).toBe(before);
    expect(await t.dataSource.getRepository(Unit).countBy({ name: unit })).toBe(0);

    const preview = await upload(csv(bad), adminToken, '?dryRun=true');
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ created: 3, applied: false });
    expect(preview.json().errors).toHaveLength(5);
  });

  it('answers 400 naming the problem for files that are not rosters', async () => {
    const noName = await upload('工号,邮箱\r\n1,a@example.edu.cn');
    expect(noName.statusCode).toBe(400);
    expect(noName.json()).toMatchObject({ code: 'ROSTER_COLUMNS' });
    expect(noName.json().message).toBe('表头缺少「姓名」列；请使用名册模板的表头');

    expect((await upload('工号,姓名\r\n')).json().code).toBe('ROSTER_EMPTY');
    expect((await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), adminToken, '', 'old.xls')).json().code).toBe('ROSTER_FORMAT');
    expect((await upload(Buffer.from('PK\u0003\u0004garbage'), adminToken, '', 'broken.xlsx')).statusCode).toBe(400);

    const notMultipart = await t.post('/api/users/import', { file: 'x' }, adminToken);
    expect(notMultipart.statusCode).toBe(400);
    expect(notMultipart.json().code).toBe('MULTIPART_REQUIRED');
    const wrongField = await t.request({ method: 'POST', url: '/api/users/import', token: adminToken, ...multipartFile('roster', 'r.csv', '工号,姓名') });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().code).toBe('FILE_REQUIRED');
    expect((await upload('工号,姓名\r\n1,张三', adminToken, '?dryRun=yes')).statusCode).toBe(400);
  });

  it('lets a unit admin import only into their own unit', async () => {
    const own = await makeUnit(t.dataSource);
    const other = await makeUnit(t.dataSource);
    const otherBranch = await makeBranch(t.dataSource, other);
    const outsider = await makeUser(t.dataSource, { branch: otherBranch });
    const unitAdmin = await makeUser(t.dataSource, { role: 'admin', unitId: own.id });
    const token = await t.login(unitAdmin.username);
    const tag = uniq();

    const mixed = [
      '工号,姓名,单位,支部',
      `UA${tag}1,本单位甲,,教工党支部${tag}`,
      `UA${tag}2,本单位乙,${own.name},教工党支部${tag}`,
      `UA${tag}3,外单位,${other.name},教工党支部${tag}`,
      `${outsider.username},冒名,,教工党支部${tag}`,
    ].join('\n');
    const rejected = await upload(mixed, token);
    expect(rejected.json()).toMatchObject({ applied: false, created: 0 });
    expect(rejected.json().errors.map((e: { row: number }) => e.row)).toEqual([4, 5]);
    expect(await t.dataSource.getRepository(User).findOneByOrFail({ id: outsider.id })).toMatchObject({ name: outsider.name, unitId: other.id });

    const fine = await upload(mixed.split('\n').slice(0, 3).join('\n'), token);
    expect(fine.statusCode).toBe(200);
    expect(fine.json()).toMatchObject({ created: 2, unitsCreated: [] });
    const created = await t.dataSource.getRepository(User).findOneByOrFail({ username: `UA${tag}1` });
    expect(created.unitId).toBe(own.id);
    expect(await t.dataSource.getRepository(Branch).countBy({ unitId: own.id, name: `教工党支部${tag}` })).toBe(1);
  });

  it('is for admins only', async () => {
    const unit = await makeUnit(t.dataSource);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, unit) });
    const instructor = await makeUser(t.dataSource, { role: 'instructor' });
    expect((await upload('工号,姓名\r\n1,张三', await t.login(secretary.username))).statusCode).toBe(403);
    expect((await upload('工号,姓名\r\n1,张三', await t.login(instructor.username))).statusCode).toBe(403);
    expect((await upload('工号,姓名\r\n1,张三', '')).statusCode).toBe(401);
  });

  it('imports 5,000 people in one request', async () => {
    const { people, csv } = roster(5000);
    const before = await countUsers();
    const response = await upload(csv());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: 5000, errors: [] });
    expect(await countUsers()).toBe(before + 5000);
    expect(new Set(response.json().credentials.map((c: { initialPassword: string }) => c.initialPassword)).size).toBe(5000);
    const last = await t.dataSource.getRepository(User).findOneByOrFail({ username: people[4999].username });
    expect(last.name).toBe(people[4999].name);
  });
});
