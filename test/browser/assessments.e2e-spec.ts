import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { beijingTime } from '../factories/branch-work.factory';
import { pdfText } from '../factories/certificate.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { startWorker } from '../support/worker-context';
import { DESKTOP, downloadFile, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/** The phone the secretary reads their result on. */
const PHONE_390 = { width: 390, height: 844 };

/**
 * 考核评估 in Chromium against the real application and the real worker: the department writes the year's
 * scheme (a refusal first) and starts a round, watches it counted, the unit admin enters manual scores and
 * proposes an adjustment, the department decides it and publishes (refused while anything is missing), and
 * the secretary reads their branch's result on a phone — before publishing, that it is not published.
 */
describe('assessment 考核评估 in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let worker: INestApplicationContext | undefined;
  let department: Person;
  let unitAdmin: Person;
  let secretary: Person;
  let unitName: string;
  let branchA: { id: string; name: string };
  let branchB: { id: string; name: string };
  let roundUrl: string;
  // The year assessed: last year, as the department does early in a year.
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear() - 1;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const ds = h.t.dataSource;
    const tag = uniq();
    const unit = await makeUnit(ds, { name: `考核学院党委${tag}` });
    unitName = unit.name;
    branchA = await makeBranch(ds, unit, { name: `考核一支部${tag}` });
    branchB = await makeBranch(ds, unit, { name: `考核二支部${tag}` });
    secretary = await makeUser(ds, { branch: branchA as never, name: `张书记${tag}` });
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id, name: `学院管理员${tag}` });
    department = await makeUser(ds, { role: 'admin', name: `组织部${tag}` });
    // Branch A's evidence: one suggestion made in the year.
    await ds.query(`INSERT INTO suggestions (author_id, unit_id, title, body, created_at) VALUES (?, ?, '建议', '多开展案例研讨', ?)`, [secretary.id, unit.id, beijingTime(year, 7, 1)]);
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h, () => worker);

  it('the department writes the scheme (the weights refused first), starts a round and watches it counted', async () => {
    const desk = await h.loggedIn(department, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '考核评估' }).click();
    await desk.getByRole('heading', { name: '考核评估', exact: true }).waitFor();
    await desk.getByRole('link', { name: '制定考核评估办法' }).click();
    await desk.getByRole('heading', { name: '考核评估办法' }).waitFor();
    await desk.getByLabel('年度').selectOption(String(year));
    await desk.getByTestId('as-scheme-missing').waitFor();

    // The template, with one weight raised: the server's words say why it is refused.
    const form = desk.getByTestId('as-scheme-form');
    const first = form.getByTestId('as-indicator').first();
    // A key the server would refuse is said beside the field at once.
    await first.getByLabel('指标代码').fill('Completion!');
    await first.getByText('指标代码须以小写字母开头').waitFor();
    await first.getByLabel('指标代码').fill('completion');
    expect(await first.getByText('指标代码须以小写字母开头').count()).toBe(0);
    await first.getByLabel('权重').fill('25');
    await form.getByTestId('as-weight-total').getByText('权重合计 110').waitFor();
    await form.getByRole('button', { name: `保存 ${year} 年考核评估办法` }).click();
    await form.getByText('各指标权重之和须为 100，现为 110').waitFor();
    await first.getByLabel('权重').fill('15');
    await form.getByLabel('限制优秀比例').check();
    await form.getByLabel('优秀不超过（%）').fill('30');
    await form.getByRole('button', { name: `保存 ${year} 年考核评估办法` }).click();
    await desk.getByText(`${year} 年考核评估办法已保存。`).waitFor();
    await shot(desk, 'assessment-scheme');
    // The unit admin reads the saved scheme (no editor).
    const unitDesk = await h.loggedIn(unitAdmin, DESKTOP);
    await unitDesk.goto(`${h.base}/assessments/schemes?year=${year}`);
    await unitDesk.getByTestId('as-scheme-view').getByText('民主评议').waitFor();
    await unitDesk.getByText('优秀 90 分以上；良好 75 分以上；一般 60 分以上；较差 0 分以上；优秀不超过 30%').waitFor();
    expect(await unitDesk.getByTestId('as-scheme-form').count()).toBe(0);
    // The editor on a phone: nothing to scroll sideways.
    const deptPhone = await h.loggedIn(department, PHONE_390);
    await deptPhone.goto(`${h.base}/assessments/schemes?year=${year}`);
    await deptPhone.getByTestId('as-scheme-form').getByTestId('as-indicator').first().waitFor();
    expect(await pageWidth(deptPhone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(deptPhone, 'assessment-scheme-phone');

    // The round starts while no worker runs: the page shows it waiting, then counted once the worker comes.
    await desk.getByRole('link', { name: '返回考核评估' }).click();
    const start = desk.getByTestId('as-start');
    await start.getByLabel('考核年度').selectOption(String(year));
    await start.getByLabel('考核办法年度').selectOption(String(year));
    await start.getByRole('button', { name: '开始计算' }).click();
    await desk.getByRole('heading', { name: `${year} 年度考核` }).waitFor();
    roundUrl = new URL(desk.url()).pathname;
    const progress = desk.getByTestId('as-progress');
    await progress.getByRole('progressbar', { name: '计算进度' }).waitFor();
    await progress.getByText('正在清点参加考核的党支部…').waitFor();
    await shot(desk, 'assessment-round-computing');
    worker = await startWorker();
    await desk.getByText('结果尚未发布：等次和排名为预评，发布后冻结。').waitFor({ timeout: 30_000 });
    expect(await progress.count()).toBe(0);
    await desk.getByTestId('as-results').waitFor();
    await desk.getByTestId('as-chart-distribution').locator('canvas').waitFor();
    await desk.getByTestId('as-chart-spread').locator('canvas').waitFor();

    // Publishing is refused while manual scores are missing.
    await desk.getByTestId('as-publish').getByRole('button', { name: '发布结果' }).click();
    await desk.getByTestId('as-publish-confirm').click();
    await desk.getByTestId('as-publish').getByText(/还有 \d+ 项人工评分未录入，录齐后才能发布/).waitFor();
  }, JOURNEY_MS);

  it('before publishing, the secretary is told the result is not published', async () => {
    const phone = await h.loggedIn(secretary, PHONE_390);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的支部考核' }).click();
    await phone.getByLabel('年度').selectOption(String(year));
    await phone.getByTestId('as-unpublished').getByText(`${year} 年度考核结果尚未发布`, { exact: false }).waitFor();
    await shot(phone, 'assessment-secretary-unpublished');
  }, JOURNEY_MS);

  it('the unit admin sees their unit only, enters manual scores with reasons and proposes an adjustment', async () => {
    const desk = await h.loggedIn(unitAdmin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '考核评估' }).click();
    await desk.getByTestId('as-rounds').getByRole('link', { name: `${year} 年度考核` }).click();
    const results = desk.getByTestId('as-results');
    await results.getByRole('link', { name: branchA.name }).waitFor();
    expect(await results.locator('tbody tr').count()).toBe(2);
    expect(await results.getByText('待录入 2 项').count()).toBe(2);
    await results.getByRole('columnheader', { name: '本单位排名' }).waitFor();
    await results.getByRole('link', { name: branchA.name }).click();
    await desk.getByTestId('as-branch-name').getByText(branchA.name).waitFor();

    const manual = desk.getByTestId('as-manual');
    await manual.getByLabel('记录质量得分').fill('90');
    await manual.getByRole('button', { name: '保存评分' }).click();
    await manual.getByRole('alert').getByText(/评分第 1 项的原因/).waitFor();
    await manual.getByLabel('记录质量评分理由').fill('记录完整，附件齐全');
    await manual.getByLabel('民主评议得分').fill('85');
    await manual.getByLabel('民主评议评分理由').fill('民主评议结果为好');
    await manual.getByRole('button', { name: '保存评分' }).click();
    await manual.getByText('评分已保存。').waitFor();
    const breakdown = desk.getByTestId('as-breakdown');
    await breakdown.getByText('理由：记录完整，附件齐全').waitFor();
    await breakdown.getByText('提出意见建议 1 条，满分标准 1 条').waitFor();

    const propose = desk.getByTestId('as-propose');
    await propose.getByLabel('指标').selectOption({ label: '年度计划完成率' });
    await propose.getByLabel('调整后的得分').fill('50');
    await propose.getByLabel('调整理由').fill('计划第二项因故顺延，经党委同意');
    await propose.getByRole('button', { name: '提交调整申请' }).click();
    await propose.getByText('调整申请已提交，等待组织部审核。').waitFor();
    const audit = desk.getByTestId('as-audit');
    await audit.getByText('申请调整').waitFor();
    expect(await audit.getByText('人工评分').count()).toBe(2);
    await shot(desk, 'assessment-unit-branch');

    await desk.getByRole('link', { name: '返回本轮考核' }).click();
    await desk.getByTestId('as-results').getByRole('link', { name: branchB.name }).click();
    await desk.getByTestId('as-branch-name').getByText(branchB.name).waitFor();
    const manualB = desk.getByTestId('as-manual');
    await manualB.getByLabel('记录质量得分').fill('70');
    await manualB.getByLabel('记录质量评分理由').fill('记录基本完整');
    await manualB.getByLabel('民主评议得分').fill('75');
    await manualB.getByLabel('民主评议评分理由').fill('民主评议结果为较好');
    await manualB.getByRole('button', { name: '保存评分' }).click();
    await manualB.getByText('评分已保存。').waitFor();
  }, JOURNEY_MS);

  it('the department decides the adjustment, publishes and downloads the workbook', async () => {
    // Branches of other files in this database get their manual scores straight through the API.
    const token = await h.t.login(department.username);
    const roundId = roundUrl.split('/').pop()!;
    const rest: { branch_id: string }[] = await h.t.dataSource.query(`SELECT branch_id FROM assessment_results WHERE round_id = ? AND branch_id NOT IN (?, ?)`, [roundId, branchA.id, branchB.id]);
    for (const { branch_id } of rest) {
      const scored = await h.t.put(`/api/assessments/rounds/${roundId}/branches/${branch_id}/manual`, { scores: [{ key: 'quality', score: 60, reason: '按一般评定' }, { key: 'review', score: 60, reason: '按一般评定' }] }, token);
      expect(scored.statusCode).toBe(204);
    }

    const desk = await h.loggedIn(department, DESKTOP);
    await desk.goto(`${h.base}${roundUrl}`);
    const publish = desk.getByTestId('as-publish');
    await publish.getByRole('button', { name: '发布结果' }).click();
    await desk.getByTestId('as-publish-confirm').click();
    await publish.getByText('还有 1 项调整申请待审核').waitFor();

    const adjustments = desk.getByTestId('as-adjustments');
    const request = adjustments.getByTestId('as-adjustment').filter({ hasText: branchA.name });
    await request.getByText('理由：计划第二项因故顺延，经党委同意').waitFor();
    await request.getByLabel('审核意见（选填）').fill('同意调整');
    await request.getByRole('button', { name: '同意', exact: true }).click();
    await adjustments.getByText('没有待审核的调整申请。').waitFor();

    // The unit's branches, by a click in the units table; then publish.
    await desk.getByTestId('as-units').getByRole('button', { name: unitName }).click();
    const results = desk.getByTestId('as-results');
    await results.getByRole('link', { name: branchB.name }).waitFor();
    // Other files' branches leave the table once the unit's page has come (the old table shows B too).
    await results.locator('tbody tr').nth(2).waitFor({ state: 'detached' });
    expect(await results.locator('tbody tr').count()).toBe(2);
    await publish.getByRole('button', { name: '发布结果' }).click();
    await desk.getByTestId('as-publish-confirm').click();
    await desk.getByText(/结果已于 .* 发布并冻结。/).waitFor();
    expect(await desk.getByTestId('as-publish').count()).toBe(0);
    await shot(desk, 'assessment-round-published');

    const file = await downloadFile(desk, () => desk.getByRole('button', { name: '下载 Excel 统计表' }).click());
    expect(file.name).toBe(`${year}年度考核结果.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('考核结果')!;
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['排名', '党支部', '总分', '等次']));
    expect(sheet.rowCount).toBe(4); // the unit filtered: its two branches

    // The round and a branch on a phone: tables as cards, charts as wide as the screen, nothing sideways.
    const phone = await h.loggedIn(department, PHONE_390);
    await phone.goto(`${h.base}${roundUrl}`);
    await phone.getByTestId('as-results').waitFor();
    await phone.getByTestId('as-chart-spread').locator('canvas').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'assessment-round-phone');
    await phone.goto(`${h.base}${roundUrl}/branches/${branchA.id}`);
    await phone.getByTestId('as-audit').getByText('同意调整', { exact: true }).waitFor();
    expect(await phone.getByTestId('as-manual').count()).toBe(0); // frozen
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'assessment-branch-phone');
  }, JOURNEY_MS);

  it('the secretary reads their branch’s published result on a phone, with the evidence and the result sheet', async () => {
    const phone = await h.loggedIn(secretary, PHONE_390);
    // This year's is not published: the page leads to last year's, the one just published.
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的支部考核' }).click();
    await phone.getByTestId('as-unpublished').getByRole('link', { name: `查看 ${year} 年度考核结果` }).click();
    await phone.getByTestId('as-total').waitFor();
    await phone.getByTestId('as-score').getByTestId('grade').waitFor();
    const breakdown = phone.getByTestId('as-breakdown');
    await breakdown.getByText('提出意见建议 1 条，满分标准 1 条').waitFor();
    await breakdown.getByText('原计 0 分，经审核调整为 50 分').waitFor();
    await breakdown.getByText('理由：计划第二项因故顺延，经党委同意').waitFor();
    await breakdown.getByText('理由：民主评议结果为好').waitFor();
    // Secretaries see no rankings.
    expect(await phone.getByText('排名').count()).toBe(0);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'assessment-secretary-phone');

    const sheet = await downloadFile(phone, () => phone.getByRole('button', { name: '下载考核结果单' }).click());
    expect(sheet.name).toBe(`${year}年度考核结果单-${branchA.name}.pdf`);
    const text = await pdfText(sheet.bytes);
    expect(text).toContain(`${year} 年度党支部考核评估结果单`);
    expect(text).toContain(branchA.name);

    // The same page in English: the evidence in English words.
    await phone.getByRole('button', { name: '语言: English' }).click();
    await phone.getByRole('heading', { name: 'My branch’s assessment' }).waitFor();
    const english = phone.getByTestId('as-breakdown');
    await english.getByText('1 suggestion(s) made; full score at 1').waitFor();
    await english.getByText('Counted 0, adjusted to 50 after review').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'assessment-secretary-phone-en');
  }, JOURNEY_MS);
});
