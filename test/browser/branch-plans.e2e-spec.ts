import ExcelJS from 'exceljs';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/**
 * The branch's year in Chromium: a secretary keeps the member list and drafts the annual plan on a phone, the
 * unit admin returns it with a comment and then approves it, the department edits next year's norms.
 */
describe('branch work: members, annual plan and norms in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let secretary: Person;
  let unitAdmin: Person;
  let department: Person;
  let branchName: string;
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

  beforeAll(async () => {
    h = await startBrowserHarness();
    const unit = await makeUnit(h.t.dataSource);
    branchName = `第一党支部${uniq()}`;
    const branch = await makeBranch(h.t.dataSource, unit, { name: branchName });
    secretary = await makeUser(h.t.dataSource, { branch, name: `李书记${uniq()}` });
    unitAdmin = await makeUser(h.t.dataSource, { role: 'admin', unitId: unit.id, name: `单位管理员${uniq()}` });
    department = await makeUser(h.t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
  }, 180_000);

  afterAll(async () => {
    // Next year's norms saved here would be where later files' untouched years start from.
    await h?.t.dataSource.query('DELETE FROM norm_versions WHERE year >= ?', [year + 1]);
  });
  failOnPageErrorsAndCloseAfterAll(() => h);

  it('the secretary keeps the member list on a phone: adds a member, imports a list, one member leaves', async () => {
    const phone = await h.loggedIn(secretary, PHONE);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '党员名单' }).click();
    await phone.getByRole('heading', { name: '党员名单', exact: true }).waitFor();
    const add = phone.getByRole('form', { name: '添加党员' });
    await add.getByRole('button', { name: '添加' }).click();
    await add.getByText('请填写姓名，最多 50 个字').waitFor();
    await add.getByLabel('姓名').fill('王芳');
    await add.getByLabel('类别').selectOption({ label: '预备党员' });
    await add.getByLabel('入党时间').fill('2025-06-30');
    await add.getByRole('button', { name: '添加' }).click();
    await phone.getByText('已添加 王芳。').waitFor();
    await phone.getByTestId('member-counts').getByText('现有党员 1 名：正式党员 0 名，预备党员 1 名').waitFor();

    const upload = phone.getByRole('form', { name: '导入党员名单' });
    await upload.getByLabel('名单文件').setInputFiles({ name: '党员名册.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,类别,入党时间\n张伟,正式,2010-07-01\n刘洋,预备,2025/6/1\n') });
    await upload.getByRole('button', { name: '预览' }).click();
    await upload.getByTestId('member-import-result').getByText('共 2 行：新增 2，更新 0，不变 0').waitFor();
    await upload.getByRole('button', { name: '导入' }).click();
    await phone.getByText('已导入：新增 2 名，更新 0 名。').waitFor();
    await phone.getByTestId('member-counts').getByText('现有党员 3 名：正式党员 1 名，预备党员 2 名').waitFor();

    phone.once('dialog', (dialog) => void dialog.accept());
    await phone.getByRole('button', { name: '刘洋离开本支部' }).click();
    await phone.getByText('刘洋已离开本支部。').waitFor();
    await phone.getByTestId('member-counts').getByText('现有党员 2 名：正式党员 1 名，预备党员 1 名').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-branch-members');
  }, 120_000);

  it('the secretary drafts the plan on a phone and submits it; the unit admin returns it with a comment, then approves it and downloads it', async () => {
    const phone = await h.loggedIn(secretary, PHONE);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '年度计划' }).click();
    await phone.getByRole('heading', { name: `${branchName} ${year}年学习活动年度安排表` }).waitFor();
    await phone.getByTestId('plan-status').getByText('草稿').waitFor();
    await phone.getByText('尚未保存：以下是按工作规范预填的草稿。').waitFor();
    // The secretary edits each item's words in place.
    await phone.getByTestId('plan-month-3').locator('input[value="党课（第一季度）"]').waitFor();

    // A topic of the branch's own in July, saved as a draft.
    const own = phone.getByRole('form', { name: '添加活动' });
    await own.getByLabel('活动类别').selectOption({ label: '支部自选' });
    await own.getByLabel('月份').selectOption({ label: '7 月' });
    await own.getByLabel('活动内容').fill('参观党史馆');
    await own.getByRole('button', { name: '添加' }).click();
    await phone.getByTestId('plan-month-7').getByText('支部自选').waitFor();
    await phone.getByRole('button', { name: '保存草稿' }).click();
    await phone.getByText('年度计划已保存。').waitFor();
    await phone.getByText(/尚未保存/).waitFor({ state: 'detached' });
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-branch-plan');

    // Removing May's 主题党日 falls short of the norms: said before submitting, and submitting is refused.
    const may = phone.getByTestId('plan-month-5');
    await may.getByRole('button', { name: '删除“主题党日”' }).click();
    await phone.getByRole('button', { name: '提交审核' }).click();
    await phone.getByText(/年度计划未达到工作规范的要求：主题党日：5月少 1 次/).waitFor();
    await phone.getByTestId('plan-shortfalls').getByText('主题党日：5 月少 1 次').waitFor();
    await own.getByLabel('活动类别').selectOption({ label: '主题党日' });
    await own.getByLabel('月份').selectOption({ label: '5 月' });
    await own.getByLabel('活动内容').fill('主题党日：重温入党誓词');
    await own.getByRole('button', { name: '添加' }).click();
    await may.locator('input[value="主题党日：重温入党誓词"]').waitFor();
    await phone.getByRole('button', { name: '提交审核' }).click();
    await phone.getByTestId('plan-status').getByText('已提交，待审核').waitFor();
    expect(await phone.getByRole('button', { name: '保存草稿' }).count()).toBe(0);

    // The unit admin finds the branch, returns the plan (a comment is required), then approves the corrected one.
    const desk = await h.loggedIn(unitAdmin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '支部计划' }).click();
    await desk.getByTestId('plan-queue').getByRole('link', { name: `审核${branchName}的年度计划` }).click();
    await desk.getByTestId('plan-status').getByText('已提交，待审核').waitFor();
    const review = desk.getByRole('form', { name: '审核年度计划' });
    await review.getByRole('button', { name: '退回修改' }).click();
    await review.getByText('请填写审核意见').waitFor();
    await review.getByLabel('审核意见').fill('请写明党课主题。');
    await review.getByRole('button', { name: '退回修改' }).click();
    await desk.getByTestId('plan-status').getByText('已退回修改').waitFor();

    await phone.reload();
    await phone.getByText('审核意见：请写明党课主题。').waitFor();
    const lecture = phone.getByTestId('plan-month-3').locator('input[value^="党课"]');
    await lecture.fill('党课（第一季度）：学习新党章');
    await phone.getByRole('button', { name: '提交审核' }).click();
    await phone.getByTestId('plan-status').getByText('已提交，待审核').waitFor();

    // Back in the queue once submitted again.
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '支部计划' }).click();
    await desk.getByTestId('plan-queue').getByRole('link', { name: `审核${branchName}的年度计划` }).click();
    await desk.getByRole('form', { name: '审核年度计划' }).getByRole('button', { name: '审核通过' }).click();
    await desk.getByTestId('plan-status').getByText('已审核通过').waitFor();
    await desk.getByTestId('plan-month-3').getByText('党课（第一季度）：学习新党章').waitFor();
    const xlsx = await downloadFile(desk, () => desk.getByRole('button', { name: '导出 Excel' }).click());
    expect(xlsx.name).toBe(`${branchName} ${year}年学习活动年度安排表.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].getCell('A1').value).toBe(`${branchName} ${year}年党支部学习活动年度安排表`);
    expect(String(workbook.worksheets[0].getCell('A2').value)).toContain('已审核通过');
    const pdf = await downloadFile(desk, () => desk.getByRole('button', { name: '打印版 PDF' }).click());
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(desk, 'desk-branch-plan-approved');
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '支部计划' }).click();
    await desk.getByText('暂无等待审核的年度计划').waitFor();
    // Every branch of the unit is listed, with its plan and member list.
    await desk.getByRole('link', { name: `${branchName}的党员名单` }).click();
    await desk.getByTestId('member-counts').getByText('现有党员 2 名：正式党员 1 名，预备党员 1 名').waitFor();
    expect(await desk.getByRole('form', { name: '添加党员' }).count()).toBe(0);

    // English is there too.
    await phone.reload();
    await phone.getByRole('button', { name: '语言: English' }).click();
    await phone.getByTestId('plan-status').getByText('Approved').waitFor();
  }, 180_000);

  it('the department edits next year’s norms; a unit admin only reads them', async () => {
    const desk = await h.loggedIn(department, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作规范' }).click();
    await desk.getByRole('heading', { name: '党支部工作规范（一规）' }).waitFor();
    await desk.getByLabel('年度').selectOption({ label: `${year + 1} 年` });
    const editor = desk.getByRole('form', { name: '编辑工作规范' });
    await editor.getByText(`${year + 1} 年 · 第 1 版`).waitFor();
    const themeDay = editor.getByTestId('norm-row').filter({ has: desk.locator('input[value="theme_day"]') });
    await themeDay.getByLabel('最少次数').fill('2');
    await editor.getByRole('button', { name: '添加一类活动' }).click();
    const added = editor.getByTestId('norm-row').last();
    await added.getByLabel('活动名称').fill('集中学习');
    await added.getByLabel('类型标识').fill('Study');
    await editor.getByRole('button', { name: '保存工作规范' }).click();
    await editor.getByText(/小写字母、数字和 _/).first().waitFor();
    await added.getByLabel('类型标识').fill('study_session');
    await added.getByLabel('周期').selectOption({ label: '季度' });
    await editor.getByRole('button', { name: '保存工作规范' }).click();
    await desk.getByText(`已保存 ${year + 1} 年工作规范（第 2 版）。`).waitFor();
    await shot(desk, 'desk-norms-editor');

    const unit = await h.loggedIn(unitAdmin, DESKTOP);
    await unit.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作规范' }).click();
    await unit.getByLabel('年度').selectOption({ label: `${year + 1} 年` });
    const table = unit.getByTestId('norms');
    await table.getByText(`${year + 1} 年 · 第 2 版`).waitFor();
    await table.getByRole('row').filter({ hasText: '主题党日' }).getByText('每月至少 2 次').waitFor();
    await table.getByRole('row').filter({ hasText: '集中学习' }).getByText('每季度至少 1 次').waitFor();
    expect(await unit.getByRole('button', { name: '保存工作规范' }).count()).toBe(0);
  }, 120_000);
});
