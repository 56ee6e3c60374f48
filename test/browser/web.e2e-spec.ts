import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { TEST_PASSWORD } from '../support/test-app';
import { beijingInput, DESKTOP, downloadText, JOURNEY_MS, login, PHONE, shot, startBrowserHarness, type BrowserHarness } from './browser-support';

/**
 * The web interface in a real browser: Debian's Chromium (headless) driven by playwright-core against the real
 * application listening on a port, with its real database. Screenshots of each page land in test-output/browser.
 */

describe('web interface in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;

  let unitName: string;
  let secretaryUsername: string;
  let secretaryName: string;
  let course: BuiltCourse;
  let adminUsername: string;
  let instructorUsername: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    const t = h.t;

    const unit = await makeUnit(t.dataSource);
    unitName = unit.name;
    const branch = await makeBranch(t.dataSource, unit);
    const secretary = await makeUser(t.dataSource, { branch, role: 'secretary' });
    secretaryUsername = secretary.username;
    secretaryName = secretary.name;
    const admin = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    adminUsername = admin.username;
    const instructor = await makeUser(t.dataSource, { role: 'instructor', name: `党校教师${uniq()}` });
    instructorUsername = instructor.username;
    const adminToken = await t.login(admin.username);
    course = await buildCourse(t, adminToken, { learnerIds: [secretary.id], requiredCreditHours: 5, requiredSessions: 1, quiz: { timeLimitMinutes: 10 } });
    // A real six-second video for the lesson (its length is read from the file).
    const sample = sampleVideo(6, 'webm');
    const upload = multipartFile('file', sample.name, sample.bytes, 'video/webm');
    expectStatus(await t.request({ method: 'POST', url: `/api/activities/${course.video.id}/video`, token: adminToken, ...upload }), 200, 'upload video');
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    // No uncaught script error (a CSP violation included) on any page.
    expect(h.pageErrors).toEqual([]);
  });

  const newPage = (viewport = DESKTOP) => h.newPage(viewport);

  it('serves the pages at / with SPA fallback and a strict CSP, and leaves /api to the API', async () => {
    const page = await fetch(`${base}/courses/123/anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${base}/api/no-such-route`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found' }));
  });

  it('secretary on a 375 px phone: login → my courses → 学习安排表 with progress and calendar feed → 学习档案 with CSV; English switch', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await shot(page, 'phone-login');
    // By keyboard alone: the username field has the focus, Tab to the password, Enter submits.
    await page.keyboard.type(secretaryUsername);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: '我的培训班', exact: true }).waitFor();
    await page.getByTestId('user-name').getByText(secretaryName).waitFor();
    await page.getByRole('link', { name: course.title }).waitFor();
    await shot(page, 'phone-my-courses');

    await page.getByRole('link', { name: '学习安排表' }).first().click();
    await page.getByRole('heading', { name: '我的学习进度' }).waitFor();
    const progress = page.getByTestId('progress');
    await progress.locator('dd').first().waitFor();
    // 学时 against the requirement, required activities done, sessions attended against the requirement.
    expect((await progress.locator('dd').allInnerTexts()).map((text) => text.trim())).toEqual(['0 / 5', '0 / 5', '0 / 1']);
    for (const activity of course.all) await page.locator('tbody th', { hasText: activity.title }).waitFor();
    // The session shows its place; months are headed in Chinese.
    await page.getByText('党校报告厅').waitFor();
    expect(await page.locator('.month h3').first().innerText()).toMatch(/^\d{4}年\d{1,2}月$/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-schedule');

    // The video lesson: plays through, reports the watched span, and the server counts it complete.
    await page.getByRole('link', { name: course.video.title }).click();
    await page.getByRole('heading', { name: new RegExp(course.video.title) }).waitFor();
    const watch = page.getByTestId('watch-progress');
    await watch.getByText('已观看 0%').waitFor();
    await page.getByTestId('video').evaluate((video: { muted: boolean; play(): Promise<void> }) => {
      video.muted = true;
      return video.play();
    });
    await watch.getByText('已完成').waitFor({ timeout: 30_000 });
    expect(await watch.innerText()).toMatch(/已观看 (9\d|100)%/);
    await shot(page, 'phone-video');
    await page.getByRole('link', { name: /学习安排表/ }).click();
    await page.getByRole('heading', { name: '我的学习进度' }).waitFor();
    await page.locator('tr', { hasText: course.video.title }).getByText('已完成').waitFor();

    // The reading: a reflection that is too short is refused beside the field; a long enough one goes to review.
    await page.getByRole('link', { name: course.reading.title }).click();
    await page.getByRole('heading', { name: '心得体会' }).waitFor();
    await page.getByRole('article', { name: '阅读材料' }).getByText('学习党章').waitFor();
    const reflection = page.getByLabel('我的心得体会，支持 Markdown 格式');
    await reflection.fill('认真学习，很有收获。');
    await page.getByTestId('reflection-count').getByText('已写 10 字 / 至少 50 字').waitFor();
    await page.getByRole('button', { name: '提交心得' }).click();
    await page.locator('textarea[name="body"][aria-invalid="true"]').waitFor();
    expect(await page.locator('.field', { has: page.locator('textarea[name="body"]') }).locator('.field-error').innerText()).toMatch(/还差 40 字/);
    await reflection.fill('通过学习党章，我进一步明确了党支部书记的职责定位：既要抓好“三会一课”等基本制度的落实，又要关心每一名党员的思想和工作，把支部建设成为坚强的战斗堡垒。');
    await page.getByRole('button', { name: '提交心得' }).click();
    await page.getByText('心得已提交，等待教师审核。').waitFor();
    await page.getByTestId('reflection-status').getByText('已提交').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-reading');
    await page.getByRole('link', { name: /学习安排表/ }).click();
    await page.getByRole('heading', { name: '我的学习进度' }).waitFor();

    // The quiz: start an attempt, answer both questions, submit, passed.
    await page.getByRole('link', { name: course.quiz.title }).click();
    await page.getByRole('button', { name: '开始答题' }).click();
    const attempt = page.getByRole('form', { name: '第 1 次作答' });
    // The countdown follows the server's deadline (10 minutes).
    expect(await attempt.getByRole('timer').innerText()).toMatch(/剩余时间 (09:[0-5]\d|10:00)/);
    await attempt.getByLabel('抓党建').check();
    await attempt.getByRole('group', { name: /三会一课/ }).getByLabel('正确').check();
    await shot(page, 'phone-quiz');
    await attempt.getByRole('button', { name: '交卷' }).click();
    await page.getByTestId('quiz-result').getByText('已通过').waitFor();
    await page.getByText('还可以作答 2 次。').waitFor();
    await page.getByRole('link', { name: /学习安排表/ }).click();
    await page.getByRole('heading', { name: '我的学习进度' }).waitFor();
    await page.locator('tr', { hasText: course.quiz.title }).getByText('已完成').waitFor();

    await page.getByRole('button', { name: '订阅到我的日历' }).click();
    const feed = page.getByLabel('日历订阅地址');
    await feed.waitFor();
    const url = await feed.inputValue();
    expect(url).toMatch(/\/api\/calendar\/[^/]+\.ics$/);
    const ics = await fetch(new URL(new URL(url).pathname, base));
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await page.getByRole('button', { name: '停止订阅' }).click();
    await page.getByText('订阅地址已停用。').waitFor();
    expect((await fetch(new URL(new URL(url).pathname, base))).status).toBe(404);

    await page.getByRole('link', { name: '学习档案' }).click();
    await page.getByRole('heading', { name: '学习档案', exact: true }).waitFor();
    await page.getByRole('heading', { name: course.title }).waitFor();
    await page.locator('tbody th', { hasText: course.quiz.title }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'phone-record');
    const csv = await downloadText(page, () => page.getByRole('button', { name: '下载 CSV' }).click());
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.text).toContain(course.quiz.title);

    // English, kept across a reload; then back to Chinese.
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'Learning record' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Learning record' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await page.getByRole('button', { name: /中文/ }).click();
    await page.getByRole('heading', { name: '学习档案', exact: true }).waitFor();

    // An expired login returns to the login page, then back to where the user was.
    await page.evaluate(`localStorage.setItem('bst.token', 'expired.token.value')`);
    await page.goto(`${base}/record`);
    await page.getByText('登录已过期，请重新登录。').waitFor();
    await login(page, secretaryUsername);
    await page.waitForURL(`${base}/record`);
    await page.getByRole('heading', { name: '学习档案', exact: true }).waitFor();

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
  }, JOURNEY_MS);

  it('department admin: roster import dry run reports the bad row, the fixed file applies and shows initial passwords; first login forces a password change; enrolment', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${base}/login`);
    await login(page, adminUsername);
    await page.getByRole('heading', { name: '培训班', exact: true }).waitFor();

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '二级党组织' }).click();
    await page.getByRole('heading', { name: '二级党组织', exact: true }).waitFor();
    await page.getByLabel('搜索', { exact: true }).fill(unitName);
    await page.getByRole('rowheader', { name: unitName }).waitFor();
    await shot(page, 'admin-units');

    const newUnit = `外国语学院党委${uniq()}`;
    const first = uniq('r');
    const second = uniq('r');
    const header = '工号,姓名,单位,支部,邮箱\n';
    const bad = `${header}${first},李雷,${newUnit},外语教工第一党支部,${first}@example.edu.cn\n${second},,${newUnit},外语教工第一党支部,not-an-email\n`;
    const good = `${header}${first},李雷,${newUnit},外语教工第一党支部,${first}@example.edu.cn\n${second},韩梅梅,${newUnit},外语教工第一党支部,${second}@example.edu.cn\n`;

    await page.getByRole('link', { name: '名册导入' }).click();
    await page.getByRole('heading', { name: '名册导入' }).waitFor();
    const fileInput = page.getByLabel('名册文件，CSV 或 XLSX 格式');
    await fileInput.setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.getByRole('button', { name: '预检（不写入）' }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    await errors.getByRole('rowheader', { name: '3' }).waitFor();
    await errors.getByText(/缺少姓名/).waitFor();
    await page.getByText('有 1 行错误').waitFor();
    expect(await page.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await shot(page, 'admin-import-dry-run-bad-row');

    await fileInput.setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
    await page.getByRole('button', { name: '预检（不写入）' }).click();
    await page.getByText('未发现错误，可以确认导入。').waitFor();
    const changes = page.getByTestId('import-changes');
    await changes.getByRole('rowheader', { name: '韩梅梅' }).waitFor();
    await page.getByText(newUnit).first().waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('导入完成。').waitFor();
    const credentials = page.getByTestId('credentials');
    await credentials.waitFor();
    const row = credentials.getByRole('row').filter({ hasText: first });
    const initialPassword = (await row.locator('code').innerText()).trim();
    expect(initialPassword.length).toBeGreaterThanOrEqual(8);
    await shot(page, 'admin-import-applied');
    const download = await downloadText(page, () => page.getByRole('button', { name: '下载初始密码 CSV' }).click());
    expect(download.text).toContain(`${first},李雷,${initialPassword}`);

    await page.getByRole('link', { name: '人员' }).click();
    await page.getByLabel('搜索', { exact: true }).fill(second);
    await page.getByRole('rowheader', { name: '韩梅梅' }).waitFor();
    await shot(page, 'admin-people');

    // Enrol everyone (全覆盖) in the course; the imported secretaries appear among its learners.
    await page.goto(`${base}/courses/${course.id}/enrollments`);
    await page.getByRole('heading', { name: new RegExp(course.title) }).waitFor();
    await page.getByLabel('全体支部书记（全覆盖）').check();
    await page.getByRole('button', { name: '报名', exact: true }).click();
    await page.getByText(/新报名 \d+ 人/).waitFor();
    await page.getByLabel('搜索', { exact: true }).fill(first);
    await page.getByTestId('enrollments').getByRole('rowheader', { name: '李雷' }).waitFor();
    await shot(page, 'admin-enrollments');

    // Review the secretary's reflection (submitted in the phone journey): returning needs feedback, beside the field.
    await page.goto(`${base}/activities/${course.reading.id}`);
    await page.getByRole('heading', { name: '心得审核' }).waitFor();
    const card = page.getByRole('listitem', { name: new RegExp(secretaryName) });
    await card.getByRole('button', { name: '退回修改' }).click();
    await card.locator('.field-invalid .field-error').waitFor();
    await card.getByLabel('反馈意见（退回时必填）').fill('请结合本支部实际，写得再具体一些。');
    await card.getByRole('button', { name: '退回修改' }).click();
    await page.getByText('没有需要处理的心得。').waitFor();
    await page.getByLabel('状态', { exact: true }).selectOption('returned');
    await page.getByRole('listitem', { name: new RegExp(secretaryName) }).getByText('请结合本支部实际，写得再具体一些。').waitFor();
    await shot(page, 'admin-reflection-review');

    // The secretary hears of it: the unread count in the navigation, the notification, and the feedback beside the editor.
    const phone = await newPage(PHONE);
    await phone.goto(`${base}/login`);
    await login(phone, secretaryUsername);
    await phone.getByRole('link', { name: '通知（1）' }).click();
    await phone.getByRole('heading', { name: '我的通知' }).waitFor();
    await phone.getByTestId('notifications').getByText(`心得被退回修改：${course.reading.title}`).waitFor();
    await shot(phone, 'phone-notifications');
    await phone.getByRole('link', { name: '查看' }).first().click();
    await phone.getByTestId('reflection-status').getByText('已退回，请修改后重新提交').waitFor();
    await phone.getByText('请结合本支部实际，写得再具体一些。').waitFor();
    await phone.getByRole('link', { name: '通知', exact: true }).waitFor();

    // The imported secretary's first login: the password page is forced, then the platform opens.
    await page.getByRole('button', { name: '退出登录' }).click();
    await login(page, first, initialPassword);
    await page.getByText('首次登录请先设置自己的密码').waitFor();
    expect(new URL(page.url()).pathname).toBe('/password');
    await page.getByLabel('当前密码（初始密码）').fill(initialPassword);
    await page.getByLabel('新密码（至少 8 位）').fill('short');
    await page.getByLabel('再次输入新密码').fill('short');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('新密码至少 8 位').waitFor();
    await page.getByLabel('新密码（至少 8 位）').fill('My-own-pass-2026');
    await page.getByLabel('再次输入新密码').fill('My-own-pass-2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('heading', { name: '我的培训班', exact: true }).waitFor();
    await page.getByRole('link', { name: course.title }).waitFor();
  }, JOURNEY_MS);

  it('instructor: creates a course, field errors from the API beside their fields, publish problems beside the course field and the activity, then publishes', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${base}/login`);
    await login(page, instructorUsername);
    await page.getByRole('link', { name: '新建培训班' }).click();
    await page.getByRole('heading', { name: '新建培训班' }).waitFor();
    const title = `2027年春季党支部书记培训班${uniq()}`;
    await page.getByLabel('名称', { exact: true }).fill(title);
    await page.getByLabel('开始时间（北京时间）').fill(beijingInput(1));
    await page.getByLabel('结束时间（北京时间）').fill(beijingInput(90));
    await page.getByLabel('结业所需学时').fill('10');
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByRole('heading', { name: new RegExp(title) }).waitFor();
    await page.waitForURL(/\/courses\/\d+\/edit$/);

    await page.getByLabel('模块名称').fill('第一个月：理论学习');
    await page.getByRole('button', { name: '添加模块' }).click();
    await page.getByRole('heading', { name: '第一个月：理论学习' }).waitFor();

    // A video without its length: the API's 400 names the field, shown beside it.
    await page.getByRole('button', { name: '添加学习任务' }).click();
    const form = page.getByRole('form', { name: '添加学习任务' });
    await form.getByLabel('任务名称').fill('导学视频');
    await form.getByLabel('学时', { exact: true }).fill('2');
    await form.getByLabel('截止时间（北京时间）').fill(beijingInput(60));
    await form.getByRole('button', { name: '保存' }).click();
    const duration = form.getByLabel('视频时长（秒）');
    await form.locator('input[name="durationSeconds"][aria-invalid="true"]').waitFor();
    await form.locator('.field-invalid', { has: page.locator('input[name="durationSeconds"]') }).locator('.field-error').waitFor();
    await shot(page, 'instructor-activity-field-error');
    await duration.fill('600');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText('导学视频').waitFor();

    // A quiz with a single-choice question and an in-person session, each with its type's own fields.
    await page.getByRole('button', { name: '添加学习任务' }).click();
    await form.getByLabel('任务类型').selectOption('quiz');
    await form.getByLabel('任务名称').fill('第一次测验');
    await form.getByLabel('学时', { exact: true }).fill('1');
    await form.getByLabel('题干').fill('党支部书记的首要职责是？');
    await form.getByLabel('选项（每行一个）').fill('抓党建\n抓业务');
    await form.getByLabel('正确答案').selectOption({ label: 'A. 抓党建' });
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText('第一次测验').waitFor();
    await page.getByRole('button', { name: '添加学习任务' }).click();
    await form.getByLabel('任务类型').selectOption('session');
    await form.getByLabel('任务名称').fill('开班辅导报告');
    await form.getByLabel('开始时间（北京时间）').fill(beijingInput(10));
    await form.getByLabel('结束时间（北京时间）').fill(beijingInput(10.1));
    await form.getByLabel('地点').fill('党校报告厅');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText('开班辅导报告').waitFor();
    // Upload the lesson's video (progress bar while it goes); its length is read from the file.
    const upload = page.getByRole('form', { name: '上传视频：导学视频' });
    const sample = sampleVideo(6, 'webm');
    await upload.getByLabel('视频文件，MP4、MOV 或 WebM 格式').setInputFiles(sample.path);
    await upload.getByRole('button', { name: '上传视频' }).click();
    await upload.getByText(`已上传 ${sample.name}，时长 6 秒。`).waitFor();
    // Archive and restore.
    await page.getByRole('button', { name: '归档：第一次测验' }).click();
    await page.locator('.activity.archived', { hasText: '第一次测验' }).waitFor();
    await page.getByRole('button', { name: '恢复：第一次测验' }).click();
    await page.locator('.activity:not(.archived)', { hasText: '第一次测验' }).waitFor();

    // Shorten the period so the video's due date falls outside it, then publish: every problem is shown.
    await page.getByLabel('结束时间（北京时间）').fill(beijingInput(30));
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存。').waitFor();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByTestId('publish-problems').waitFor();
    const hours = page.getByLabel('结业所需学时');
    await page.locator('input[name="requiredCreditHours"][aria-invalid="true"]').waitFor();
    const hoursError = await page.locator('.field').filter({ has: hours }).locator('.field-error').innerText();
    expect(hoursError).toContain('少于要求的 10 学时');
    const activityProblem = page.locator('.activity.has-problems').filter({ hasText: '导学视频' }).locator('[data-field="dueAt"]');
    expect(await activityProblem.innerText()).toMatch(/截止时间（北京时间）：.*截止时间不在培训期内/);
    await shot(page, 'instructor-publish-problems');

    // Fix both and publish.
    await page.getByLabel('结束时间（北京时间）').fill(beijingInput(90));
    await page.getByLabel('结业所需学时').fill('2');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存。').waitFor();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByText('已发布。').waitFor();
    await page.getByText('进行中').first().waitFor();
    await shot(page, 'instructor-published');
  }, JOURNEY_MS);
});
