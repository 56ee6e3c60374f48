import { makeRecord } from '../factories/branch-work.factory';
import { PDF_SCAN, pngImage } from '../factories/handbook.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, downloadFile, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/** An everyday phone (iPhone 12 to 15). */
const PHONE_390 = { width: 390, height: 844 };

/**
 * 经验交流 in Chromium: a secretary on a phone shares a case from an accepted handbook record, with a photo from
 * the phone's camera and a PDF; the unit admin recommends it; the department features it as 优秀案例; another
 * secretary finds it on their home page, reads it with its photo, downloads the PDF, comments and marks it useful.
 */
describe('exchange of experience 经验交流 in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let author: Person;
  let reader: Person;
  let unitAdmin: Person;
  let department: Person;
  let recordTitle: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const ds = h.t.dataSource;
    const unit = await makeUnit(ds);
    const branch = await makeBranch(ds, unit, { name: `化学系学生党支部${uniq()}` });
    author = await makeUser(ds, { branch, name: `李书记${uniq()}` });
    reader = await makeUser(ds, { branch: await makeBranch(ds, await makeUnit(ds)), name: `赵书记${uniq()}` });
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id, name: `化学院党委${uniq()}` });
    department = await makeUser(ds, { role: 'admin', name: `组织部${uniq()}` });
    recordTitle = `社区志愿服务主题党日${uniq()}`;
    await makeRecord(ds, branch, { kind: 'theme_day', title: recordTitle, heldAt: new Date(Date.now() - 10 * 86_400_000), status: 'accepted', createdBy: author.id });
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  it('a secretary shares a case with a photo on a phone; it is recommended, featured, then read, discussed and found useful', async () => {
    const title = `“党员先锋岗”进社区${uniq()}`;

    // The author, on a phone: 经验交流 from the navigation, then 分享案例, starting from the accepted record.
    const phone = await h.loggedIn(author, PHONE_390);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '经验交流' }).click();
    await phone.getByRole('heading', { name: '经验交流' }).waitFor();
    await phone.getByRole('link', { name: '分享案例' }).click();
    const form = phone.getByRole('form', { name: '分享案例' });
    const fromRecord = form.getByLabel('从工作纪实开始');
    await fromRecord.selectOption((await fromRecord.locator('option', { hasText: recordTitle }).getAttribute('value'))!);
    // The record's title and minutes fill the form.
    const titleInput = form.getByLabel('标题');
    for (let tries = 0; tries < 50 && (await titleInput.inputValue()) !== recordTitle; tries++) await phone.waitForTimeout(100);
    expect(await titleInput.inputValue()).toBe(recordTitle);
    expect(await form.getByLabel('正文').inputValue()).toBe('会议记录。');
    await form.getByLabel('类别', { exact: true }).locator('option', { hasText: '按工作纪实的活动类型确定' }).waitFor({ state: 'attached' });
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('类别', { exact: true }).selectOption({ label: '服务群众' });
    await form.getByLabel('标签').fill('志愿服务，党员先锋岗');
    await form.getByLabel('正文').fill('## 做法\n1. 每周六设立**党员先锋岗**\n2. 与社区结对，服务居民\n\n<script>alert(1)</script>');
    // The photo comes from the camera (an input that asks for it); the plan is a PDF chosen among files.
    const camera = form.locator('input[type=file][capture]');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    await camera.setInputFiles({ name: '先锋岗合影.png', mimeType: 'image/png', buffer: pngImage(320, 200, [183, 28, 28]) });
    await form.locator('input[type=file][multiple]').setInputFiles({ name: '服务方案.pdf', mimeType: 'application/pdf', buffer: PDF_SCAN });
    await form.getByTestId('chosen-files').getByText('先锋岗合影.png').waitFor();
    await form.getByTestId('chosen-files').getByText('服务方案.pdf').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'phone-case-share-form');
    await form.getByRole('button', { name: '发布案例' }).click();

    await phone.getByRole('heading', { name: title }).waitFor();
    await phone.getByRole('img', { name: '先锋岗合影.png' }).waitFor();
    await phone.getByRole('button', { name: '下载 服务方案.pdf' }).waitFor();
    await phone.getByText('来自工作纪实', { exact: false }).waitFor();
    const body = phone.getByTestId('case-body');
    await body.locator('strong', { hasText: '党员先锋岗' }).waitFor();
    expect(await body.locator('script').count()).toBe(0);
    expect(await phone.getByText('服务群众').count()).toBeGreaterThan(0);
    // No moderation for the author, and the photo is loaded (its bytes need the login).
    expect(await phone.getByRole('button', { name: '推荐给组织部' }).count()).toBe(0);
    expect(await phone.getByRole('img', { name: '先锋岗合影.png' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(320);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(phone, 'phone-case-shared');

    // The unit admin recommends it to the department.
    const unitDesk = await h.loggedIn(unitAdmin, DESKTOP);
    await unitDesk.getByRole('link', { name: '经验交流' }).click();
    await unitDesk.getByTestId('cases').getByRole('link', { name: title }).click();
    await unitDesk.getByRole('button', { name: '推荐给组织部' }).click();
    await unitDesk.getByText('已推荐给组织部').waitFor();
    expect(await unitDesk.getByRole('button', { name: '评为优秀案例' }).count()).toBe(0);
    await shot(unitDesk, 'unit-admin-case-recommended');

    // The department finds it among the recommended 服务群众 cases and features it.
    const deptDesk = await h.loggedIn(department, DESKTOP);
    await deptDesk.goto(`${h.base}/cases`);
    await deptDesk.getByLabel('类别', { exact: true }).selectOption({ label: '服务群众' });
    await deptDesk.waitForURL(/kind=serving_people/);
    await deptDesk.getByLabel('只看已推荐的案例').click();
    // Both filters stay in the address (the list and its links follow it).
    await deptDesk.waitForURL(/(?=.*kind=serving_people)(?=.*recommended=true)/);
    const card = deptDesk.getByTestId('case').filter({ hasText: title });
    await card.getByText('已推荐').waitFor();
    await card.getByRole('link', { name: title }).click();
    await deptDesk.getByRole('button', { name: '评为优秀案例' }).click();
    await deptDesk.getByRole('button', { name: '取消优秀案例' }).waitFor();
    await deptDesk.locator('.case-detail').getByText('优秀案例', { exact: true }).waitFor();
    await shot(deptDesk, 'department-case-featured');

    // Another secretary, on a phone: 优秀案例 on the home page leads to it.
    const other = await h.loggedIn(reader, PHONE_390);
    const featured = other.getByTestId('featured-cases');
    await featured.getByRole('heading', { name: '优秀案例' }).waitFor();
    expect(await pageWidth(other)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(other, 'phone-home-featured-cases');
    await featured.getByRole('link', { name: title }).click();
    await other.getByRole('heading', { name: title }).waitFor();
    await other.getByRole('img', { name: '先锋岗合影.png' }).waitFor();
    const pdf = await downloadFile(other, () => other.getByRole('button', { name: '下载 服务方案.pdf' }).click());
    expect(pdf.name).toBe('服务方案.pdf');
    expect(pdf.bytes.equals(PDF_SCAN)).toBe(true);
    expect(await other.getByRole('button', { name: '评为优秀案例' }).count()).toBe(0);
    expect(await other.getByRole('button', { name: /删除/ }).count()).toBe(0);

    // A comment, in Markdown, and 有用 once.
    await other.getByText('还没有评论。').waitFor();
    await other.getByRole('textbox', { name: '写评论' }).fill('很受启发，我们支部也准备**结对共建**。');
    await other.getByRole('button', { name: '发表评论' }).click();
    const comments = other.getByTestId('case-comments');
    await comments.locator('strong', { hasText: '结对共建' }).waitFor();
    await comments.getByText(reader.name).waitFor();
    await other.getByRole('button', { name: '有用 · 0' }).click();
    await other.getByRole('button', { name: '已标记有用 · 1' }).waitFor();
    expect(await other.getByTestId('useful').isDisabled()).toBe(true);
    expect(await pageWidth(other)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(other, 'phone-case-read-commented');

    // The list: searched by words, filtered by a tag from a card.
    await other.getByRole('link', { name: '← 经验交流' }).click();
    await other.getByRole('searchbox', { name: '搜索案例' }).fill(title.slice(1, 12));
    await other.getByRole('button', { name: '搜索' }).click();
    const found = other.getByTestId('case').filter({ hasText: title });
    await found.getByText('1 人觉得有用').waitFor();
    await found.getByRole('button', { name: '# 志愿服务' }).click();
    await other.getByTestId('tag-filter').getByText('# 志愿服务').waitFor();
    await other.getByTestId('case').filter({ hasText: title }).waitFor();
    expect(await pageWidth(other)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(other, 'phone-cases-list');

    // The same list in English.
    await other.getByRole('button', { name: /English/ }).click();
    await other.getByRole('heading', { name: 'Exchange of experience' }).waitFor();
    const english = other.getByTestId('case').filter({ hasText: title });
    await english.getByText('Outstanding case').waitFor();
    await english.getByText('Serving the people').waitFor();
    await english.getByText('1 found it useful').waitFor();
    expect(await pageWidth(other)).toBeLessThanOrEqual(PHONE_390.width);
    await shot(other, 'phone-cases-list-en');
    await other.getByRole('button', { name: /中文/ }).click();
    await other.getByRole('heading', { name: '经验交流' }).waitFor();
  }, JOURNEY_MS);
});
