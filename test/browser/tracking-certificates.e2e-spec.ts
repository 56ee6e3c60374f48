import type { INestApplicationContext } from '@nestjs/common';
import { markCompleted } from '../factories/certificate.factory';
import { buildCourse, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, downloadText, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';
import { startWorker } from '../support/worker-context';

/**
 * The department's completion dashboard, certificates (compile, 我的证书, public verification) and reminders,
 * in Chromium against the real application and the real worker module (it runs the compile job).
 */

describe('tracking, certificates and reminders in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;
  let worker: INestApplicationContext;
  let course: BuiltCourse;
  let admin: Person;
  let adminToken: string;
  let done: Person[];
  let behind: Person[];
  let unitAdmin: Person;

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    const t = h.t;
    worker = await startWorker();
    const unitA = await makeUnit(t.dataSource);
    const unitB = await makeUnit(t.dataSource);
    const branchA = await makeBranch(t.dataSource, unitA);
    const branchB = await makeBranch(t.dataSource, unitB);
    admin = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    unitAdmin = await makeUser(t.dataSource, { role: 'admin', unitId: unitB.id, name: `单位管理员${uniq()}` });
    adminToken = await t.login(admin.username);
    done = [
      await makeUser(t.dataSource, { branch: branchA, role: 'secretary', name: `欧阳修文${uniq()}` }),
      await makeUser(t.dataSource, { branch: branchA, role: 'secretary', name: `张书记${uniq()}` }),
      await makeUser(t.dataSource, { branch: branchB, role: 'secretary', name: `王书记${uniq()}` }),
    ];
    behind = [await makeUser(t.dataSource, { branch: branchB, role: 'secretary', name: `钱书记${uniq()}` })];
    course = await buildCourse(t, adminToken, { learnerIds: [...done, ...behind].map((p) => p.id) });
    await markCompleted(t.dataSource, course.id, done.map((p) => p.id), 6.5);
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h, () => worker);

  const loggedIn = (person: Person, viewport = DESKTOP) => h.loggedIn(person, viewport);

  it('dashboard: the department sees the totals and the charts, filters the learners to those behind and downloads them as CSV; usable on a phone', async () => {
    const desk = await loggedIn(admin);
    await desk.getByRole('listitem').filter({ hasText: course.title }).getByRole('link', { name: '完成情况' }).click();
    await desk.getByRole('heading', { name: /完成情况统计/ }).waitFor();
    await desk.getByTestId('total-enrolled').getByText('4', { exact: true }).waitFor();
    expect(await desk.getByTestId('total-completed').innerText()).toBe('3');
    expect(await desk.getByTestId('total-rate').innerText()).toBe('75%');
    // ECharts draws on a canvas.
    await desk.getByTestId('chart-units').locator('canvas').waitFor();
    expect(await desk.getByTestId('chart-activities').locator('canvas').count()).toBe(1);
    const rows = desk.getByTestId('learners').locator('tbody tr');
    await rows.nth(3).waitFor();
    expect(await rows.count()).toBe(4);

    await desk.getByLabel('完成状态').selectOption('behind');
    await rows.nth(1).waitFor({ state: 'detached' });
    expect(await rows.first().innerText()).toContain(behind[0].name);
    await shot(desk, 'admin-completion-dashboard');
    const csv = await downloadText(desk, () => desk.getByRole('button', { name: '学员名单 CSV' }).click());
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.text).toContain(behind[0].name);
    expect(csv.text).not.toContain(done[0].name);
    const xlsx = await downloadFile(desk, () => desk.getByRole('button', { name: '按单位 Excel' }).click());
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');

    const phone = await loggedIn(admin, PHONE);
    await phone.goto(`${base}/courses/${course.id}/report`);
    await phone.getByTestId('chart-weekly').locator('canvas').waitFor();
    await phone.getByTestId('learners').locator('tbody tr').first().waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-completion-dashboard');

    // A unit admin sees their unit only: its branches ranked with who is behind, and its standing in aggregate.
    const unitDesk = await loggedIn(unitAdmin);
    await unitDesk.goto(`${base}/courses/${course.id}/report`);
    await unitDesk.getByTestId('total-enrolled').getByText('2', { exact: true }).waitFor();
    expect(await unitDesk.getByTestId('total-rate').innerText()).toBe('50%');
    expect(await unitDesk.getByLabel('二级党组织').count()).toBe(0);
    await unitDesk.getByTestId('branch-ranking').getByText(behind[0].name, { exact: false }).waitFor();
    await unitDesk.getByTestId('unit-standing').getByText(/在 2 个单位中排第 2 位/).waitFor();
    expect(await unitDesk.getByTestId('learners').getByText(done[0].name).count()).toBe(0);
    await shot(unitDesk, 'unit-admin-completion-dashboard');
  }, JOURNEY_MS);

  it('certificates: an open course offers an early compile in words; the department closes it from the course page after a confirmation that counts the learners and watches the compile reach 100%; a reissued certificate offers no second reissue; a secretary downloads the PDF from 我的证书; the public page verifies it with the name masked', async () => {
    const desk = await loggedIn(admin);
    await desk.getByRole('listitem').filter({ hasText: course.title }).getByRole('link', { name: '结业证书' }).click();
    // Before closing, the page offers an early compile in words (never a force parameter).
    await desk.getByRole('heading', { name: '提前编制结业证书' }).waitFor();
    await desk.getByRole('button', { name: '按目前完成情况提前编制' }).waitFor();
    expect(await desk.getByText(/force/).count()).toBe(0);

    // Closing from the course page: the confirmation says what happens and for how many.
    await desk.goto(`${base}/courses/${course.id}`);
    await desk.getByRole('button', { name: '结业', exact: true }).click();
    const dialog = desk.getByRole('dialog', { name: /确认结业/ });
    await dialog.getByText('全部 4 名学员的学习进度定格为最终成绩，之后不能再学习或补交。').waitFor();
    await dialog.getByText(/为完成学习的 3 名学员编制结业证书/).waitFor();
    await shot(desk, 'admin-close-course-confirm');
    await dialog.getByRole('button', { name: '确认结业' }).click();
    await dialog.getByText('培训班已结业。').waitFor();
    const progress = dialog.getByTestId('compile-progress');
    await progress.getByText('已处理 3 / 3').waitFor({ timeout: 30_000 });
    await progress.getByText(/编制完成，本次新颁发 3 份/).waitFor();
    expect(await progress.getByRole('progressbar', { name: '编制进度' }).getAttribute('aria-valuenow')).toBe('3');
    await dialog.getByRole('link', { name: '查看结业证书' }).click();
    await desk.getByRole('heading', { name: '编制结业证书' }).waitFor();
    // Compiling again after closing is "issue to the newly completed": nobody new.
    await desk.getByRole('button', { name: '为新完成的学员补发证书' }).click();
    await desk.getByTestId('compile-progress').getByText(/结业的学员都已领到证书，本次没有新增/).waitFor({ timeout: 30_000 });
    expect(await desk.getByTestId('compile-progress').locator('.progress-fill').getAttribute('style')).toContain('100%');
    const rows = desk.getByTestId('certificates').locator('tbody tr');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    await shot(desk, 'admin-certificates-compiled');

    // Revoke the third learner's certificate (a reason is required, said beside the field), then reissue it.
    const third = rows.filter({ hasText: done[2].name });
    await third.getByRole('button', { name: '撤销' }).click();
    const revokeForm = third.getByRole('form', { name: /^撤销 / });
    await revokeForm.getByRole('button', { name: '确认撤销' }).click();
    await revokeForm.locator('.field-invalid').getByText('不能为空').waitFor();
    await revokeForm.getByLabel('原因').fill('姓名有误');
    await revokeForm.getByRole('button', { name: '确认撤销' }).click();
    await third.getByText('已撤销').waitFor();
    await third.getByText(/撤销：姓名有误/).waitFor();
    await third.getByRole('button', { name: '重新颁发' }).click();
    await third.getByLabel('原因').fill('更正姓名后重新颁发');
    await third.getByRole('button', { name: '确认重新颁发' }).click();
    await rows.nth(3).waitFor();
    expect(await rows.filter({ hasText: done[2].name }).count()).toBe(2);
    // The replaced certificate says by which one, and offers no second reissue; the new one may be reissued.
    const original = rows.filter({ hasText: /已重新颁发，新证书编号/ });
    await original.waitFor();
    expect(await original.getByRole('button', { name: '重新颁发' }).count()).toBe(0);
    expect(await rows.filter({ hasText: '重新颁发的证书' }).getByRole('button', { name: '重新颁发' }).count()).toBe(1);
    await shot(desk, 'admin-certificates-reissued');

    const owner = done[0];
    const phone = await loggedIn(owner, PHONE);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的证书' }).click();
    await phone.getByRole('heading', { name: '我的证书' }).waitFor();
    const card = phone.getByTestId('my-certificates').getByRole('listitem', { name: course.title });
    const pdf = await downloadFile(phone, () => card.getByRole('button', { name: '下载 PDF' }).click());
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-my-certificates');
    const verifyPath = await card.getByRole('link', { name: '在线验证' }).getAttribute('href');
    expect(verifyPath).toMatch(/^\/verify\/\w+$/);

    // Anyone, without logging in.
    const chars = [...owner.name];
    const masked = `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
    const visitor = await h.newPage(PHONE);
    await visitor.goto(`${base}${verifyPath}`);
    await visitor.getByText('证书有效').waitFor();
    expect(await visitor.getByTestId('verify-name').innerText()).toBe(masked);
    await visitor.getByText(course.title).waitFor();
    expect(await visitor.getByText(owner.name).count()).toBe(0);
    expect(await pageWidth(visitor)).toBeLessThanOrEqual(PHONE.width);
    await shot(visitor, 'phone-verify-certificate');
    await visitor.getByRole('button', { name: /English/ }).click();
    await visitor.getByText('This certificate is valid').waitFor();
    await visitor.getByRole('button', { name: /中文|简体/ }).click();
    await visitor.goto(`${base}/verify/0000000000000000`);
    await visitor.getByText('未找到该证书，请核对验证码。').waitFor();
  }, JOURNEY_MS);

  it('reminders: a secretary turns the weekly digest off; the department sees a failed delivery, opens the queue board in a new tab and sends a course\'s reminders now', async () => {
    const t = h.t;
    const secretary = behind[0];
    const phone = await loggedIn(secretary, PHONE);
    await phone.goto(`${base}/notifications`);
    const digest = phone.getByRole('switch', { name: /接收每周学习周报邮件/ });
    await digest.waitFor();
    expect(await digest.isChecked()).toBe(true);
    await digest.uncheck();
    await phone.getByText('已保存。').waitFor();
    const secretaryToken = await t.login(secretary.username);
    expect((await t.get('/api/me/preferences', secretaryToken)).json()).toMatchObject({ weeklyDigest: false });
    await phone.reload();
    await phone.getByRole('switch', { name: /接收每周学习周报邮件/ }).waitFor();
    expect(await phone.getByRole('switch', { name: /接收每周学习周报邮件/ }).isChecked()).toBe(false);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);

    const running = await buildCourse(t, adminToken, { learnerIds: [secretary.id] });
    const error = `SMTP 连接被拒绝${uniq()}`;
    await t.dataSource.query(
      `INSERT INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status, email, mail_attempts, last_error)
       VALUES (?, 'overdue', ?, ?, ?, '2026-11-20', 'failed', 'qian@example.cn', 6, ?)`,
      [`test:${uniq()}`, secretary.id, running.id, running.video.id, error],
    );
    const desk = await loggedIn(admin);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '提醒投递' }).click();
    await desk.getByRole('heading', { name: '提醒投递概况' }).waitFor();
    // Visible without clicks: the count, the learner, the kind and the reason in Chinese; the raw text on expand.
    expect(Number(await desk.getByTestId('count-failed').innerText())).toBeGreaterThanOrEqual(1);
    await desk.getByTestId('failure-reasons').getByText(/邮件服务器不可达 \d+/).waitFor();
    const row = desk.getByTestId('deliveries').getByRole('row').filter({ hasText: secretary.name });
    await row.getByText('已逾期').waitFor();
    await row.getByText('邮件服务器不可达').waitFor();
    expect(await row.getByText(error).isVisible()).toBe(false);
    await row.getByText('原始信息').click();
    await row.getByText(error).waitFor();
    const adminPhone = await loggedIn(admin, PHONE);
    await adminPhone.goto(`${base}/admin/reminders`);
    await adminPhone.getByTestId('deliveries').getByText('邮件服务器不可达').first().waitFor();
    expect(await pageWidth(adminPhone)).toBeLessThanOrEqual(PHONE.width);
    await shot(adminPhone, 'phone-admin-reminder-deliveries');
    await shot(desk, 'admin-reminder-deliveries');
    const [board] = await Promise.all([desk.waitForEvent('popup'), desk.getByRole('button', { name: '打开任务队列看板' }).click()]);
    await board.waitForURL(/\/api\/admin\/queues/);
    const boardAnswer = await board.request.get(`${base}/api/admin/queues/api/queues`);
    expect(boardAnswer.status()).toBe(200);

    await desk.goto(`${base}/courses/${running.id}`);
    await desk.getByRole('button', { name: '发送提醒' }).click();
    // The worker runs the rules; the page says how many reminders were queued and for whom, or that nobody needed one.
    await desk.getByText(/已排队 \d+ 条提醒，共 \d+ 人：|没有需要提醒的学员/).waitFor({ timeout: 30_000 });
    await shot(desk, 'admin-send-reminders-outcome');
  }, JOURNEY_MS);
});
