import ExcelJS from 'exceljs';
import { beijingTime, beijingYearOf, makeRecord } from '../factories/branch-work.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/** A unit admin and the department follow branch work against the norms in Chromium: the table, a branch, the export. */
describe('branch-work oversight in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let department: Person;
  let unitAdmin: Person;
  let unitName: string;
  let otherUnitName: string;
  let keeping: { id: string; name: string };
  let idle: { id: string; name: string };
  const year = beijingYearOf(new Date());

  beforeAll(async () => {
    h = await startBrowserHarness();
    const ds = h.t.dataSource;
    const tag = uniq();
    const unit = await makeUnit(ds, { name: `监督学院党委${tag}` });
    const other = await makeUnit(ds, { name: `另一学院党委${tag}` });
    unitName = unit.name;
    otherUnitName = other.name;
    keeping = await makeBranch(ds, unit, { name: `认真支部${tag}` });
    idle = await makeBranch(ds, unit, { name: `松散支部${tag}` });
    await makeBranch(ds, other, { name: `别家支部${tag}` });
    department = await makeUser(ds, { role: 'admin', name: `组织部${tag}` });
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id, name: `学院管理员${tag}` });
    const writer = await makeUser(ds, { branch: keeping as never });
    // The keeping branch held a theme day and a committee meeting every month so far (accepted), and one more
    // theme day waits for review; the idle branch recorded nothing.
    const month = new Date(Date.now() + 8 * 3600 * 1000).getUTCMonth() + 1;
    for (let m = 1; m <= month; m++) {
      await makeRecord(ds, keeping as never, { kind: 'theme_day', heldAt: beijingTime(year, m, 1, 9), status: 'accepted', createdBy: writer.id, title: `${m}月主题党日` });
      await makeRecord(ds, keeping as never, { kind: 'committee_meeting', heldAt: beijingTime(year, m, 1, 10), status: 'accepted', createdBy: writer.id });
    }
    await makeRecord(ds, keeping as never, { kind: 'theme_day', heldAt: beijingTime(year, month, 1, 11), status: 'submitted', createdBy: writer.id, title: '待审核的主题党日' });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    expect(h.pageErrors).toEqual([]);
  });

  it('a unit admin sees their branches against the norms, filters those behind, drills into one and exports the table', async () => {
    const desk = await h.loggedIn(unitAdmin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '支部工作落实' }).click();
    await desk.getByRole('heading', { name: '支部工作落实情况' }).waitFor();
    const units = desk.getByTestId('bw-units');
    await units.getByText(unitName).waitFor();
    expect(await units.locator('tbody tr').count()).toBe(1); // their unit only
    const branches = desk.getByTestId('bw-branches');
    await branches.getByRole('link', { name: keeping.name }).waitFor();
    await branches.getByRole('link', { name: idle.name }).waitFor();
    expect(await desk.getByText(otherUnitName).count()).toBe(0);
    await shot(desk, 'branch-oversight-unit');

    // The keeping branch's theme days are all accepted.
    const keepingRow = branches.locator('tbody tr', { hasText: keeping.name });
    const month = new Date(Date.now() + 8 * 3600 * 1000).getUTCMonth() + 1;
    await keepingRow.getByText(`${month}/${month}`).first().waitFor();

    await desk.getByTestId('bw-behind').check();
    await branches.getByRole('link', { name: idle.name }).waitFor();
    await desk.getByTestId('bw-behind').uncheck();

    const file = await downloadFile(desk, () => desk.getByRole('button', { name: '导出 Excel' }).click());
    expect(file.name).toBe(`支部工作落实情况-${year}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['单位', '支部', '主题党日·应开展', '主题党日·已通过', '待审核']));
    expect(sheet.rowCount).toBe(3);

    await branches.getByRole('link', { name: keeping.name }).click();
    await desk.getByTestId('bw-branch-name').getByText(keeping.name).waitFor();
    const records = desk.getByTestId('bw-records');
    await records.getByText('待审核的主题党日').waitFor();
    await records.locator('tr', { hasText: '待审核的主题党日' }).getByRole('cell', { name: '待审核', exact: true }).waitFor();
    await records.getByText('1月主题党日', { exact: true }).waitFor();
    await shot(desk, 'branch-oversight-branch');
    await desk.getByRole('link', { name: '返回支部工作落实情况' }).click();
    await desk.getByTestId('bw-branches').waitFor();
  }, JOURNEY_MS);

  it('the department sees every unit on a phone and narrows the table to one', async () => {
    const phone = await h.loggedIn(department, PHONE);
    await phone.goto(`${h.base}/oversight/branch-work`);
    const units = phone.getByTestId('bw-units');
    await units.getByRole('button', { name: otherUnitName }).waitFor();
    await units.getByRole('button', { name: unitName }).click();
    await phone.getByRole('button', { name: '查看全部二级党组织' }).waitFor();
    await phone.getByTestId('bw-branches').getByRole('link', { name: keeping.name }).waitFor();
    expect(await phone.getByTestId('bw-branches').locator('tbody tr').count()).toBe(2);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'branch-oversight-department-phone');
  }, JOURNEY_MS);
});
