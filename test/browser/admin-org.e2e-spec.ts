import ExcelJS from 'exceljs';
import { randomInt } from 'node:crypto';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { User } from '../../src/users/user.entity';
import { DESKTOP, downloadFile, JOURNEY_MS, login, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/** The department and a unit admin manage units, branches and people in Chromium, on a desk and on a phone. */
describe('organization management in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let admin: Person;

  beforeAll(async () => {
    h = await startBrowserHarness();
    admin = await makeUser(h.t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    // More units than one page of the API holds: every choice of a unit must still offer the newest one.
    for (let i = 0; i < 101; i++) await makeUnit(h.t.dataSource, { name: `一级${uniq()}` });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    expect(h.pageErrors).toEqual([]);
  });

  it('the department creates a unit and two branches, adds a person (password shown once), moves them, deactivates and reactivates them, resets the password, and downloads the roster template', async () => {
    const code = uniq('U').replace(/[^A-Za-z0-9]/g, '').slice(0, 20);
    const unitName = `测试学院党委${code}`;
    const desk = await h.loggedIn(admin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '二级党组织' }).click();
    const unitForm = desk.getByRole('form', { name: '新建二级党组织' });
    // Bad input is said in Chinese beside the field, never the validator's English.
    await unitForm.getByLabel('名称').fill(unitName);
    await unitForm.getByLabel('编码').fill('有 空格');
    await unitForm.getByRole('button', { name: '创建' }).click();
    await unitForm.getByText('编码只能包含字母、数字和 _ . -，最多 50 位').waitFor();
    expect(await desk.getByText(/must be/).count()).toBe(0);
    await unitForm.getByLabel('编码').fill(code);
    await unitForm.getByRole('button', { name: '创建' }).click();
    await desk.getByText(`已创建：${unitName}`).waitFor();
    // Find it among the units (other tests' units share the list and its pages), then edit it in a dialog.
    await desk.getByRole('search').getByRole('searchbox').fill(code);
    await desk.getByRole('search').getByRole('searchbox').press('Enter');
    await desk.getByRole('button', { name: `编辑 ${unitName}` }).click();
    const editUnit = desk.getByRole('dialog', { name: '编辑二级党组织' });
    await editUnit.getByLabel('名称').fill(`${unitName}（新）`);
    await editUnit.getByRole('button', { name: '保存' }).click();
    await desk.getByText(`已保存：${unitName}（新）`).waitFor();

    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '党支部' }).click();
    const branchForm = desk.getByRole('form', { name: '新建党支部' });
    for (const n of ['一', '二']) {
      await branchForm.getByLabel('二级党组织').selectOption({ label: `${unitName}（新）` });
      await branchForm.getByLabel('名称').fill(`测试第${n}党支部${code}`);
      await branchForm.getByLabel('编码').fill(`${code}-${n === '一' ? 1 : 2}`);
      await branchForm.getByRole('button', { name: '创建' }).click();
      await desk.getByText(`已创建：测试第${n}党支部${code}`).waitFor();
    }
    await shot(desk, 'admin-org-branches');

    // Adding one person, on a phone.
    const phone = await h.loggedIn(admin, PHONE);
    await phone.goto(`${h.base}/org/people`);
    await phone.getByRole('button', { name: '添加人员' }).click();
    const add = phone.getByRole('dialog', { name: '添加人员' });
    // Staff numbers are digits: a Latin word in the server's sentence would make the page say the code's words instead.
    const username = `7${randomInt(10 ** 9, 10 ** 10)}`;
    const name = `新书记${code.slice(-4)}`;
    await add.getByLabel('工号').fill(username);
    await add.getByLabel('姓名').fill(name);
    await add.getByLabel('单位').selectOption({ label: `${unitName}（新）` });
    await add.getByLabel(/党支部/).selectOption({ label: `测试第一党支部${code}` });
    await add.getByLabel('邮箱').fill('not-an-email');
    await add.getByRole('button', { name: '创建' }).click();
    await add.getByText('请填写有效的邮箱地址').waitFor();
    await add.getByLabel('邮箱').fill(`${username}@example.cn`);
    await add.getByRole('button', { name: '创建' }).click();
    const once = phone.getByRole('dialog', { name: new RegExp(`${name}（工号 ${username}）的初始密码`) });
    await once.getByText(/此密码只显示这一次/).waitFor();
    const firstPassword = await once.getByTestId('initial-password').innerText();
    expect(firstPassword.length).toBeGreaterThanOrEqual(8);
    await once.getByRole('button', { name: '复制' }).waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-people-initial-password');
    await once.getByRole('button', { name: '关闭', exact: true }).click();
    await phone.getByText(`已添加 ${name}。`).waitFor();
    expect(await phone.getByText(firstPassword).count()).toBe(0);

    // The same staff number again is refused beside the field.
    await phone.getByRole('button', { name: '添加人员' }).click();
    await add.getByLabel('工号').fill(username);
    await add.getByLabel('姓名').fill('重复');
    await add.getByLabel('单位').selectOption({ label: `${unitName}（新）` });
    const branch = add.getByLabel(/党支部/);
    await branch.selectOption({ label: `测试第一党支部${code}` });
    // The branch list loads once the unit is chosen: submit only once the choice shows.
    await phone.waitForFunction((select) => (select as { value?: string } | null)?.value !== '', await branch.elementHandle());
    await add.getByRole('button', { name: '创建' }).click();
    // Whatever refusal comes, the dialog's text is in the failure message.
    await add.locator('.field-invalid, [role="alert"]').first().waitFor();
    expect(await add.innerText()).toMatch(/工号「.+」已被使用/);
    await add.locator('.field-invalid').getByText(/工号「.+」已被使用/).waitFor();
    await add.getByRole('button', { name: '关闭窗口' }).click();

    // Move to the other branch.
    await desk.goto(`${h.base}/org/people`);
    await desk.getByRole('search').getByLabel('搜索').fill(username);
    const row = desk.getByTestId('people').getByRole('row').filter({ hasText: username });
    await row.getByText(`测试第一党支部${code}`).waitFor();
    await row.getByRole('button', { name: `编辑 ${name}` }).click();
    const edit = desk.getByRole('dialog', { name: `编辑人员：${name}` });
    await edit.getByLabel(/党支部/).selectOption({ label: `测试第二党支部${code}` });
    await edit.getByRole('button', { name: '保存' }).click();
    await desk.getByText(`已保存 ${name} 的信息。`).waitFor();
    await row.getByText(`测试第二党支部${code}`).waitFor();
    const person = await h.t.dataSource.getRepository(User).findOneByOrFail({ username });
    expect(person.branchId).not.toBeNull();

    // Deactivate (confirmed), then reactivate.
    await row.getByRole('button', { name: `停用 ${name}` }).click();
    const confirmOff = desk.getByRole('dialog', { name: `停用 ${name} 的账号？` });
    await confirmOff.getByText(/停用后此人立即退出登录/).waitFor();
    await confirmOff.getByRole('button', { name: '停用' }).click();
    await desk.getByText(`已停用 ${name} 的账号。`).waitFor();
    await row.getByText('停用', { exact: true }).waitFor();
    expect((await h.t.dataSource.getRepository(User).findOneByOrFail({ username })).active).toBe(false);
    await row.getByRole('button', { name: `启用 ${name}` }).click();
    await desk.getByRole('dialog', { name: `重新启用 ${name} 的账号？` }).getByRole('button', { name: '启用' }).click();
    await desk.getByText(`已重新启用 ${name} 的账号。`).waitFor();
    expect((await h.t.dataSource.getRepository(User).findOneByOrFail({ username })).active).toBe(true);

    // Reset the password: a new one-time password, shown once; it signs in (and must then be changed).
    await row.getByRole('button', { name: `重置密码 ${name}` }).click();
    await desk.getByRole('dialog', { name: `重置 ${name} 的密码？` }).getByRole('button', { name: '生成初始密码' }).click();
    const reset = desk.getByRole('dialog', { name: /的初始密码/ });
    const resetPassword = await reset.getByTestId('initial-password').innerText();
    expect(resetPassword).not.toBe(firstPassword);
    await shot(desk, 'admin-people-reset-password');
    await reset.getByRole('button', { name: '关闭', exact: true }).click();
    expect(await desk.getByText(resetPassword).count()).toBe(0);
    const newcomer = await h.newPage(PHONE);
    await newcomer.goto(`${h.base}/login`);
    await login(newcomer, username, resetPassword);
    await newcomer.getByText('首次登录请先设置自己的密码，之后才能使用平台。').waitFor();

    // The roster template beside the import, as CSV and as Excel, with the Chinese headers.
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '名册导入' }).click();
    const csv = await downloadFile(desk, () => desk.getByRole('button', { name: '下载 CSV 模板' }).click());
    expect(csv.name).toBe('名册模板.csv');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('工号,姓名,单位,支部,邮箱,角色');
    const xlsx = await downloadFile(desk, () => desk.getByRole('button', { name: '下载 Excel 模板' }).click());
    expect(xlsx.name).toBe('名册模板.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect((workbook.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(['工号', '姓名', '单位', '支部', '邮箱', '角色']);
  }, JOURNEY_MS);

  it('a unit admin sees only their unit: no unit choice, no admin role to give, no unit to create', async () => {
    const unit = await makeUnit(h.t.dataSource);
    const branch = await makeBranch(h.t.dataSource, unit);
    const other = await makeBranch(h.t.dataSource, await makeUnit(h.t.dataSource));
    const unitAdmin = await makeUser(h.t.dataSource, { role: 'admin', unitId: unit.id, name: `单位管理员${uniq()}` });
    const member = await makeUser(h.t.dataSource, { branch, name: `本单位书记${uniq()}` });
    const outsider = await makeUser(h.t.dataSource, { branch: other, name: `外单位书记${uniq()}` });
    const phone = await h.loggedIn(unitAdmin, PHONE);
    await phone.goto(`${h.base}/org/people`);
    await phone.getByTestId('people').getByText(member.name).waitFor();
    expect(await phone.getByText(outsider.name).count()).toBe(0);
    expect(await phone.getByLabel('所属二级党组织').count()).toBe(0);
    await phone.getByRole('button', { name: '添加人员' }).click();
    const add = phone.getByRole('dialog', { name: '添加人员' });
    expect(await add.getByLabel('单位').count()).toBe(0);
    const roles = await add.getByLabel('角色').locator('option').allInnerTexts();
    expect(roles).toEqual(['支部书记', '教师']);
    expect(await add.getByLabel(/党支部/).locator('option').allInnerTexts()).toEqual(['（不属于任何党支部）', branch.name]);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-unit-admin-add-person');
    await add.getByRole('button', { name: '关闭窗口' }).click();
    await phone.goto(`${h.base}/org/units`);
    await phone.getByRole('heading', { name: '二级党组织' }).waitFor();
    expect(await phone.getByRole('form', { name: '新建二级党组织' }).count()).toBe(0);
  }, JOURNEY_MS);
});
