import { Activity } from '../../src/courses/activity.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { COPIED, OTHER_WORDS, OWN_WORDS } from '../factories/reflection-texts';
import { DESKTOP, failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';
import { attemptQuiz, watchVideo } from '../factories/learner-work';

/**
 * The instructor's review inbox across courses (badge, side-by-side copy check, return and approve) and the
 * department's dashboard early in a course (average progress, distribution) and before anyone starts.
 */

describe('review inbox and progress dashboard in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let admin: Person;
  let teacher: Person;
  let learners: Person[];
  let reviewCourse: BuiltCourse;
  let earlyCourse: BuiltCourse;
  let idleCourse: BuiltCourse;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const t = h.t;
    const engine = t.app.get(ProgressService);
    const activity = (id: string) => t.dataSource.getRepository(Activity).findOneByOrFail({ id });
    const unitA = await makeUnit(t.dataSource, { name: `文学院${uniq()}` });
    const unitB = await makeUnit(t.dataSource, { name: `理学院${uniq()}` });
    const branchA = await makeBranch(t.dataSource, unitA);
    const branchB = await makeBranch(t.dataSource, unitB);
    admin = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    teacher = await makeUser(t.dataSource, { role: 'instructor', name: `李老师${uniq()}` });
    const adminToken = await t.login(admin.username);
    learners = [
      await makeUser(t.dataSource, { branch: branchA, name: `张书记${uniq()}` }),
      await makeUser(t.dataSource, { branch: branchB, name: `王书记${uniq()}` }),
      await makeUser(t.dataSource, { branch: branchA, name: `赵书记${uniq()}` }),
    ];
    const ids = learners.map((p) => p.id);

    reviewCourse = await buildCourse(t, adminToken, { learnerIds: ids });
    expectStatus(await t.post(`/api/courses/${reviewCourse.id}/instructors`, { userIds: [teacher.id] }, adminToken), 200, 'instructor');
    for (const [person, body] of [[learners[0], OWN_WORDS], [learners[1], COPIED], [learners[2], OTHER_WORDS]] as const) {
      expectStatus(await t.post(`/api/activities/${reviewCourse.reading.id}/reflections`, { body }, await t.login(person.username)), 201, 'reflection');
    }

    // Three weeks in: one learner has done two of five required activities, another one, the third nothing.
    earlyCourse = await buildCourse(t, adminToken, { learnerIds: ids, requiredCreditHours: 4 });
    await watchVideo(engine, learners[0].id, await activity(earlyCourse.video.id), 600);
    await attemptQuiz(engine, learners[0].id, await activity(earlyCourse.quiz.id), true);
    await watchVideo(engine, learners[1].id, await activity(earlyCourse.video.id), 600);
    idleCourse = await buildCourse(t, adminToken, { learnerIds: ids });
  }, 180_000);

  failOnPageErrorsAndCloseAfterAll(() => h);

  it('inbox: the instructor follows the badge, compares a near-copy side by side, returns it and approves another; the count drops; the course page opens its editor', async () => {
    const desk = await h.loggedIn(teacher);
    const nav = desk.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '待审心得（3）' }).click();
    await desk.getByRole('heading', { name: '待审心得' }).waitFor();
    const items = desk.getByTestId('inbox-item');
    await items.nth(2).waitFor();
    expect(await desk.getByTestId('inbox-tab-waiting').innerText()).toBe('待审核（3）');

    const copy = items.filter({ hasText: learners[1].name });
    await copy.getByTestId('copy-flag').getByText(new RegExp(`与${learners[0].name}的心得相似度 \\d+%`)).waitFor();
    await copy.getByRole('button', { name: '并排对照' }).click();
    const compare = copy.getByTestId('compare');
    await compare.getByRole('heading', { name: `${learners[0].name}的心得` }).waitFor();
    await compare.getByRole('heading', { name: `${learners[1].name}的心得` }).waitFor();
    // The shared runs are marked on both sides; the changed words are not.
    expect(await compare.locator('mark').count()).toBeGreaterThan(1);
    expect(await compare.locator('mark', { hasText: '两年来' }).count()).toBe(0);
    const sides = await compare.locator('.compare-side').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(sides[0]).toBe(sides[1]); // side by side on a desktop
    await shot(desk, 'instructor-inbox-compare');

    // Returning without feedback is refused beside the field; with feedback the item leaves and the badge drops.
    await copy.getByRole('button', { name: '退回修改' }).click();
    await copy.getByText('退回时请填写反馈意见，告诉学员需要修改什么。').waitFor();
    await copy.getByLabel('反馈意见（退回时必填）').fill('请用自己的话写，结合本支部的实际。');
    await copy.getByRole('button', { name: '退回修改' }).click();
    await nav.getByRole('link', { name: '待审心得（2）' }).waitFor();
    // The badge and the list refresh apart: wait (up to 5 s) for the list to lose the item too.
    const listed = async (n: number) => {
      for (let i = 0; i < 50 && (await items.count()) !== n; i++) await desk.waitForTimeout(100);
      return items.count();
    };
    expect(await listed(2)).toBe(2);
    expect(await desk.getByTestId('inbox-tab-returned').innerText()).toBe('已退回（1）');

    await items.filter({ hasText: learners[2].name }).getByRole('button', { name: '通过' }).click();
    await nav.getByRole('link', { name: '待审心得（1）' }).waitFor();
    expect(await listed(1)).toBe(1);
    await desk.getByTestId('inbox-tab-returned').click();
    await items.filter({ hasText: learners[1].name }).getByText('请用自己的话写', { exact: false }).waitFor();
    await shot(desk, 'instructor-inbox-returned');

    await desk.goto(`${h.base}/courses/${reviewCourse.id}`);
    await desk.getByRole('link', { name: '编辑培训班' }).click();
    await desk.waitForURL(`**/courses/${reviewCourse.id}/edit`);

    // On a phone the two texts stack and nothing scrolls sideways.
    const phone = await h.loggedIn(teacher, PHONE);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待审心得（1）' }).click();
    const phoneItem = phone.getByTestId('inbox-item').filter({ hasText: learners[0].name });
    await phoneItem.waitFor();
    expect(await phoneItem.getByTestId('copy-flag').count()).toBe(0);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-instructor-inbox');
  }, JOURNEY_MS);

  it('inbox on a phone: the department compares the returned copy, stacked', async () => {
    const phone = await h.loggedIn(admin, PHONE);
    await phone.goto(`${h.base}/reviews`);
    await phone.getByTestId('inbox-tab-returned').click();
    const copy = phone.getByTestId('inbox-item').filter({ hasText: learners[1].name });
    await copy.getByRole('button', { name: '并排对照' }).click();
    // Both sides load before they are measured.
    await copy.getByTestId('compare').getByRole('heading', { name: `${learners[1].name}的心得` }).waitFor();
    const sides = await copy.getByTestId('compare').locator('.compare-side').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(sides[1]).toBeGreaterThan(sides[0]);
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-admin-inbox-compare');
  }, JOURNEY_MS);

  it('dashboard: early in a course the department sees average progress by unit and the spread of learners; a course no one has started says what will appear', async () => {
    const desk = await h.loggedIn(admin, DESKTOP);
    await desk.goto(`${h.base}/courses/${earlyCourse.id}/report`);
    // Required share: 2/5, 1/5, 0 → 20 %; 学时 against 4: (1 + 学时 of the quiz)/4, 1/4, 0.
    await desk.getByTestId('total-avg-required').getByText('20%').waitFor();
    expect(await desk.getByTestId('total-rate').innerText()).toBe('0%');
    const units = desk.getByTestId('progress-units');
    expect(await units.locator('tbody tr').count()).toBe(2);
    expect(await units.locator('tbody tr').filter({ hasText: '文学院' }).innerText()).toContain('20%');
    expect(await units.locator('tbody tr').filter({ hasText: '理学院' }).innerText()).toContain('20%');
    const spread = desk.getByTestId('distribution');
    expect(await spread.locator('li').allInnerTexts()).toEqual(['0% 1 人', '1–25% 1 人', '26–50% 1 人', '51–75% 0 人', '76–99% 0 人', '100% 0 人']);
    await desk.getByTestId('chart-progress-weekly').locator('canvas').waitFor();
    await desk.getByTestId('chart-distribution').locator('canvas').waitFor();
    // No one has finished: the completion rates are all equal and not ranked.
    await desk.getByTestId('completion-equal').waitFor();
    expect(await desk.getByTestId('chart-top').count()).toBe(0);
    await shot(desk, 'admin-dashboard-early');

    await desk.goto(`${h.base}/courses/${idleCourse.id}/report`);
    await desk.getByTestId('dash-empty').getByText(/学员开始学习后，这里显示各单位、各党支部的平均进度/).waitFor();
    expect(await desk.getByTestId('progress-charts').count()).toBe(0);
    await shot(desk, 'admin-dashboard-empty');

    const phone = await h.loggedIn(admin, PHONE);
    await phone.goto(`${h.base}/courses/${earlyCourse.id}/report`);
    await phone.getByTestId('total-avg-required').getByText('20%').waitFor();
    await phone.getByTestId('chart-distribution').locator('canvas').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-admin-dashboard-early');
  }, JOURNEY_MS);
});
