import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, downloadText, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/**
 * Discussions, in-person check-in, the suggestion box, quiz statistics and enrolment by instructors, in Chromium:
 * several people at once, each in their own browser, seeing what the others did.
 */

describe('taking part in Chromium: discussions, check-in, suggestions (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;
  let course: BuiltCourse;
  let secretary: Person;
  let colleague: Person;
  let newcomer: Person;
  let instructor: Person;
  let admin: Person;

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    const t = h.t;
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    secretary = await makeUser(t.dataSource, { branch, role: 'secretary', name: `王书记${uniq()}` });
    colleague = await makeUser(t.dataSource, { branch, role: 'secretary', name: `李书记${uniq()}` });
    newcomer = await makeUser(t.dataSource, { branch, role: 'secretary', name: `赵书记${uniq()}` });
    instructor = await makeUser(t.dataSource, { role: 'instructor', name: `党校教师${uniq()}` });
    admin = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    const adminToken = await t.login(admin.username);
    // The session is on now, so check-in is open to the secretaries.
    course = await buildCourse(t, adminToken, {
      learnerIds: [secretary.id, colleague.id],
      requiredSessions: 1,
      discussion: { minPostLength: 10 },
      session: { startsAt: new Date(Date.now() - 10 * 60_000).toISOString(), endsAt: new Date(Date.now() + 2 * 3600_000).toISOString() },
    });
    expectStatus(await t.post(`/api/courses/${course.id}/instructors`, { userIds: [instructor.id] }, adminToken), 200, 'add instructor');
    // One graded attempt for the item statistics: the first question right, the second wrong.
    const learnerToken = await t.login(colleague.username);
    const attempt = expectStatus(await t.post(`/api/activities/${course.quiz.id}/attempts`, {}, learnerToken), 201, 'start attempt').json();
    expectStatus(await t.post(`/api/attempts/${attempt.id}/submit`, { answers: { '0': 0, '1': false } }, learnerToken), 200, 'submit attempt');
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  const loggedIn = (person: Person, viewport = DESKTOP) => h.loggedIn(person, viewport);

  it('discussion: a secretary on a phone starts a thread (count against the minimum, errors beside the field); the instructor replies, pins and marks 精华; the secretary hears of it, replies and edits', async () => {
    const phone = await loggedIn(secretary, PHONE);
    await phone.goto(`${base}/activities/${course.discussion.id}`);
    await phone.getByText('结合本支部实际谈谈体会。').waitFor();
    await phone.getByTestId('discussion-rules').getByText('至少发帖 2 次，其中至少 1 次回复他人的主题。 每帖至少 10 字才计入。').waitFor();
    await phone.getByText('还没有人发起讨论').waitFor();
    await phone.getByTestId('my-state').getByText('未开始').waitFor();

    const form = phone.getByRole('form', { name: '发起新主题' });
    await form.getByLabel('内容，支持 Markdown 格式').fill('**很有收获**');
    await form.getByTestId('thread-body-count').getByText('已写 4 字 / 至少 10 字').waitFor();
    // No title: the API's answer is shown beside the title field.
    await form.getByRole('button', { name: '发布主题' }).click();
    await form.locator('.field-invalid', { has: phone.locator('input[name="title"]') }).getByText('不能为空').waitFor();
    const title = `落实“三会一课”的体会${uniq()}`;
    await form.getByLabel('主题标题').fill(title);
    await form.getByLabel('内容，支持 Markdown 格式').fill('我们支部坚持**每月**召开支部委员会，效果很好。');
    await form.getByTestId('thread-body-count').getByText(/已写 2\d 字 \/ 至少 10 字/).waitFor();
    await form.getByRole('button', { name: '发布主题' }).click();
    await phone.getByRole('heading', { name: new RegExp(title) }).waitFor();
    const opening = phone.getByRole('article', { name: `${secretary.name} 的帖子` });
    // Markdown comes back rendered.
    expect(await opening.locator('strong', { hasText: '每月' }).count()).toBe(1);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-discussion-thread');

    // The instructor finds the thread, replies to the post, pins the thread and marks the post 精华.
    const desk = await loggedIn(instructor);
    await desk.goto(`${base}/activities/${course.discussion.id}`);
    await desk.getByTestId('threads').getByRole('link', { name: title }).click();
    await desk.getByRole('heading', { name: new RegExp(title) }).waitFor();
    const post = desk.getByRole('article', { name: `${secretary.name} 的帖子` });
    await post.getByRole('button', { name: '回复' }).click();
    await post.getByRole('textbox', { name: `回复 ${secretary.name}` }).fill('很好的做法，请再谈谈如何提高组织生活质量。');
    await post.getByRole('button', { name: '发表回复' }).click();
    const replies = desk.getByRole('list', { name: `对 ${secretary.name} 的回复` });
    await replies.getByText('很好的做法，请再谈谈如何提高组织生活质量。').waitFor();
    await desk.getByRole('group', { name: '管理' }).getByRole('button', { name: '置顶' }).click();
    await desk.getByRole('heading', { name: new RegExp(title) }).getByText('置顶').waitFor();
    await post.getByRole('button', { name: '设为精华' }).click();
    await post.getByText('精华', { exact: true }).waitFor();
    await shot(desk, 'instructor-discussion-moderation');

    // The secretary is told, opens the thread from the notification, replies to the thread and corrects the post.
    await phone.goto(`${base}/`);
    await phone.getByRole('link', { name: '通知（1）' }).click();
    await phone.getByText(`回复了你：${title}`).waitFor();
    await phone.getByRole('link', { name: '查看' }).first().click();
    await phone.getByRole('heading', { name: new RegExp(title) }).waitFor();
    await phone.getByText('很好的做法，请再谈谈如何提高组织生活质量。').waitFor();
    await phone.getByRole('article', { name: `${secretary.name} 的帖子` }).getByText('精华', { exact: true }).waitFor();
    const postForm = phone.getByRole('form', { name: '参与讨论' });
    await postForm.getByLabel('内容，支持 Markdown 格式').fill('我们每次组织生活会前先征求党员意见。');
    await postForm.getByRole('button', { name: '发表' }).click();
    const mine = phone.getByRole('article', { name: `${secretary.name} 的帖子` }).filter({ hasText: '先征求党员意见' });
    await mine.waitFor();
    await mine.getByRole('button', { name: '编辑' }).click();
    await mine.getByRole('textbox', { name: '修改帖子' }).fill('我们每次组织生活会前先征求党员意见，会后及时通报整改情况。');
    await mine.getByRole('button', { name: '保存' }).click();
    await phone.getByText('会后及时通报整改情况').waitFor();
    await phone.getByRole('article', { name: `${secretary.name} 的帖子` }).filter({ hasText: '会后及时通报' }).getByText('（已编辑）').waitFor();

    // Hidden by the instructor: kept (the instructor still reads it, marked hidden), the secretary sees it is hidden.
    await desk.reload();
    const edited = desk.getByRole('article', { name: `${secretary.name} 的帖子` }).filter({ hasText: '会后及时通报' });
    await edited.getByRole('button', { name: '隐藏' }).click();
    await edited.getByText('已隐藏').waitFor();
    await phone.reload();
    await phone.getByText('该帖已被隐藏。').waitFor();
    expect(await phone.getByText('会后及时通报整改情况').count()).toBe(0);

    // Locked by the instructor: the secretary can no longer post.
    await desk.getByRole('group', { name: '管理' }).getByRole('button', { name: '锁定' }).click();
    await desk.getByRole('group', { name: '管理' }).getByRole('button', { name: '解除锁定' }).waitFor();
    await phone.reload();
    await phone.getByText('该主题已锁定，不能再回复。').waitFor();
    expect(await phone.getByRole('form', { name: '参与讨论' }).count()).toBe(0);
    // In the list, the pinned thread comes first; posts only in my own thread do not complete the activity yet.
    await phone.goto(`${base}/activities/${course.discussion.id}`);
    await phone.getByTestId('my-state').getByText('进行中').waitFor();
    expect(await phone.getByTestId('threads').locator('.thread-title').first().innerText()).toBe(title);
  }, JOURNEY_MS);

  it('check-in: the instructor projects the rotating code; a secretary types it (a wrong one is refused beside the field); attendance is marked by hand and exported', async () => {
    const desk = await loggedIn(instructor);
    await desk.goto(`${base}/activities/${course.session.id}`);
    await desk.getByRole('button', { name: '开启签到并投屏' }).click();
    await desk.waitForURL(/\/checkin-screen$/);
    const code = desk.getByTestId('checkin-code');
    await code.waitFor();
    expect(await code.innerText()).toMatch(/^\d{6}$/);
    await desk.getByAltText('签到二维码').waitFor();
    await desk.getByText(/\d+ 秒后更新/).waitFor();
    await shot(desk, 'instructor-checkin-projector');

    const phone = await loggedIn(secretary, PHONE);
    await phone.goto(`${base}/activities/${course.session.id}`);
    await phone.getByText('党校报告厅').waitFor();
    const field = phone.getByLabel('签到码');
    const shown = (await code.innerText()).trim();
    const wrong = shown.replace(/^\d/, (d) => String((Number(d) + 5) % 10));
    await field.fill(wrong);
    await phone.getByRole('button', { name: '签到', exact: true }).click();
    await phone.locator('.field-invalid', { has: field }).getByText(/签到码不正确或已过期/).waitFor();
    await shot(phone, 'phone-checkin-wrong-code');
    // By keyboard: the projected code, then Enter.
    await field.fill((await code.innerText()).trim());
    await field.press('Enter');
    await phone.getByTestId('checkin-done').getByText('签到成功。').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-checkin-done');
    // The QR code's link opens the same check-in with the code filled in.
    await phone.goto(`${base}/checkin/${course.session.id}?code=${(await code.innerText()).trim()}`);
    await phone.getByTestId('checkin-done').getByText('您已签到。').waitFor();
    await phone.goto(`${base}/activities/${course.session.id}`);
    await phone.getByTestId('checkin-done').getByText('本次集中培训您已出席，学时已计入。').waitFor();
    // The session counts on the secretary's course page.
    await phone.goto(`${base}/courses/${course.id}`);
    await phone.getByRole('heading', { name: '我的学习进度' }).waitFor();
    await phone.getByTestId('progress').locator('div').filter({ has: phone.locator('dt', { hasText: '集中培训' }) }).getByText('1 / 1').waitFor();

    // At its next refresh (when the server's 15-second slot ends) the projector counts the secretary.
    await desk.getByTestId('checkin-count').getByText('已签到 1 / 2 人').waitFor({ timeout: 30_000 });

    // The attendance list: the secretary present by code; the colleague excused (a reason is required, beside the field).
    await desk.getByRole('link', { name: /返回/ }).click();
    const table = desk.getByTestId('attendance');
    await table.getByRole('row', { name: new RegExp(secretary.name) }).getByText('出席').waitFor();
    await table.getByRole('row', { name: new RegExp(secretary.name) }).getByText('签到码').waitFor();
    await table.getByRole('button', { name: `标记 ${colleague.name}` }).click();
    const mark = desk.getByRole('form', { name: `标记 ${colleague.name}` });
    await mark.getByLabel('出勤').selectOption('excused');
    await mark.getByRole('button', { name: '保存' }).click();
    await mark.locator('.field-invalid').getByText(/请假需要填写原因/).waitFor();
    await mark.getByLabel('请假原因（必填）').fill('参加上级党委集中轮训');
    await mark.getByRole('button', { name: '保存' }).click();
    await table.getByRole('row', { name: new RegExp(colleague.name) }).getByText('原因：参加上级党委集中轮训').waitFor();
    await desk.getByTestId('attendance-summary').getByText('出席 1 人，请假 1 人，缺席 0 人，共 2 人').waitFor();
    await shot(desk, 'instructor-attendance');

    const csv = await downloadText(desk, () => desk.getByRole('button', { name: '下载 CSV' }).click());
    expect(csv.name).toMatch(/\.csv$/);
    expect(csv.text).toContain(secretary.name);
    expect(csv.text).toMatch(new RegExp(`${colleague.name},[^\\n]*请假,手工,参加上级党委集中轮训`));
    const xlsx = await downloadFile(desk, () => desk.getByRole('button', { name: '下载 Excel' }).click());
    expect(xlsx.name).toMatch(/\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
  }, JOURNEY_MS);

  it('suggestion box: a secretary writes anonymously about the course; the department answers and sets the status; the author is told and sees the answer', async () => {
    const phone = await loggedIn(colleague, PHONE);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '建言献策' }).click();
    await phone.getByRole('heading', { name: '建言献策' }).waitFor();
    const form = phone.getByRole('form', { name: '写建议' });
    await form.getByRole('button', { name: '提交建议' }).click();
    await form.locator('.field-invalid', { has: phone.locator('input[name="title"]') }).getByText('不能为空').waitFor();
    const title = `建议增加案例教学${uniq()}`;
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('内容').fill('希望集中培训多安排优秀支部书记现场分享。');
    await form.getByLabel('相关培训班（可选）').selectOption({ label: course.title });
    await form.getByLabel('匿名提交（只有组织部能看到我的姓名）').check();
    await form.getByRole('button', { name: '提交建议' }).click();
    await phone.getByText('建议已提交，组织部答复后会通知您。').waitFor();
    const mine = phone.getByTestId('my-suggestions').getByRole('article', { name: title });
    await mine.getByText('已收到').waitFor();
    await mine.getByText(course.title, { exact: false }).waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-suggestions');

    const desk = await loggedIn(admin);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '建言收件箱' }).click();
    await desk.getByRole('heading', { name: '建言收件箱' }).waitFor();
    const card = desk.getByTestId('inbox').getByRole('article', { name: title });
    // The department sees who wrote it, marked anonymous.
    await card.getByText(`${colleague.name} · 匿名`, { exact: false }).waitFor();
    await card.getByRole('button', { name: '答复' }).click();
    await card.getByLabel('答复内容').fill('感谢建议，下期培训将安排两场优秀支部书记经验交流。');
    await card.getByLabel('处理状态').selectOption('adopted');
    await card.getByRole('button', { name: '发送答复' }).click();
    await card.getByTestId('suggestion-reply').getByText('下期培训将安排两场优秀支部书记经验交流').waitFor();
    await card.getByText('已采纳').waitFor();
    await desk.getByLabel('状态', { exact: true }).selectOption('adopted');
    await desk.getByTestId('inbox').getByRole('article', { name: title }).waitFor();
    await shot(desk, 'admin-suggestions-inbox');

    await phone.goto(`${base}/notifications`);
    await phone.getByText(`组织部回复了你的建议：${title}`).waitFor();
    await phone.getByRole('link', { name: '查看' }).first().click();
    await phone.waitForURL(/\/suggestions\/\d+$/);
    await phone.getByTestId('suggestion-reply').getByText('下期培训将安排两场优秀支部书记经验交流').waitFor();
    await phone.getByRole('article', { name: title }).getByText('已采纳').waitFor();
  }, JOURNEY_MS);

  it('instructor: quiz item statistics; enrols every secretary (全覆盖) from the learners page', async () => {
    const desk = await loggedIn(instructor);
    await desk.goto(`${base}/activities/${course.quiz.id}`);
    await desk.getByRole('heading', { name: '试题统计' }).waitFor();
    await desk.getByTestId('quiz-stats-summary').getByText('已交卷 1 份，通过 0 份（0%）').waitFor();
    const rows = desk.getByTestId('quiz-stats').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(/党支部书记的首要职责是？[\s\S]*1 \/ 1[\s\S]*100%/);
    expect(await rows.nth(1).innerText()).toMatch(/三会一课[\s\S]*0 \/ 1[\s\S]*0%/);
    await shot(desk, 'instructor-quiz-stats');

    await desk.goto(`${base}/`);
    await desk.getByRole('listitem').filter({ hasText: course.title }).getByRole('link', { name: '学员' }).click();
    await desk.getByRole('heading', { name: new RegExp(course.title) }).waitFor();
    await desk.getByLabel('全体支部书记（全覆盖）').check();
    await desk.getByRole('button', { name: '报名', exact: true }).click();
    await desk.getByText(/新报名 \d+ 人/).waitFor();
    await desk.getByLabel('搜索', { exact: true }).fill(newcomer.username);
    await desk.getByTestId('enrollments').getByRole('rowheader', { name: newcomer.name }).waitFor();
    await shot(desk, 'instructor-enrollments');
  }, JOURNEY_MS);
});
