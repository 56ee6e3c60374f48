import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { DESKTOP, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "12月9日 15:30" in Beijing time, as the pages show short deadlines. */
function monthDayTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/**
 * 补学 in Chromium: a secretary who missed a quiz's date finds it open for make-up, with until when, takes it
 * and the record says 补学完成; a quiz past its window says it is closed and since when, with nothing to press
 * (a closed discussion stays readable);
 * a missed session says so instead of offering a check-in; the department sets a course's make-up rule.
 */
describe('补学 make-up in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let secretary: Person;
  let admin: Person;
  let adminToken: string;
  let open: BuiltCourse;
  let closed: BuiltCourse;
  const makeUpUntil = new Date(Date.now() + 3 * DAY);
  const dueAt = new Date(Date.now() - 2 * HOUR);

  beforeAll(async () => {
    h = await startBrowserHarness();
    const t = h.t;
    const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    secretary = await makeUser(t.dataSource, { branch, role: 'secretary', name: `李书记${uniq()}` });
    const adminUser = await makeUser(t.dataSource, { role: 'admin', name: `组织部${uniq()}` });
    admin = adminUser;
    adminToken = await t.login(adminUser.username);
    open = await buildCourse(t, adminToken, { makeUpPolicy: 'until', makeUpUntil, quiz: { dueAt: dueAt.toISOString() }, learnerIds: [secretary.id] });
    closed = await buildCourse(t, adminToken, {
      makeUpPolicy: 'none',
      quiz: { dueAt: dueAt.toISOString() },
      discussion: { dueAt: dueAt.toISOString() },
      learnerIds: [secretary.id],
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    expect(h.pageErrors).toEqual([]);
  });

  it(
    'a secretary opens an overdue quiz in the make-up window, sees until when, passes it, and the record shows 补学完成',
    async () => {
      const page = await h.loggedIn(secretary, PHONE);
      await page.goto(`${h.base}/courses/${open.id}/activities/${open.quiz.id}`);
      await page.getByTestId('make-up-open').getByText(`已逾期，可补学至 ${monthDayTime(makeUpUntil)}`).waitFor();
      await shot(page, 'phone-make-up-open');
      await page.getByRole('button', { name: '开始答题' }).click();
      const attempt = page.getByRole('form', { name: '第 1 次作答' });
      await attempt.getByLabel('抓党建').check();
      await attempt.getByRole('group', { name: /三会一课/ }).getByLabel('正确').check();
      await attempt.getByRole('button', { name: '交卷' }).click();
      await page.getByTestId('quiz-result').getByText('已通过').waitFor();

      await page.reload();
      await page.getByTestId('made-up').getByText('补学完成').waitFor();
      expect(await page.getByTestId('make-up-open').count()).toBe(0);

      // The missed in-person session (it was weeks ago) says so; no check-in form.
      await page.goto(`${h.base}/courses/${open.id}/activities/${open.session.id}`);
      await page.getByTestId('session-missed').getByText('本场集中培训已结束，你没有签到。').waitFor();
      expect(await page.getByRole('button', { name: '签到' }).count()).toBe(0);

      await page.goto(`${h.base}/record`);
      await page.getByRole('heading', { name: open.title }).waitFor();
      const row = page.locator('tr', { hasText: open.quiz.title });
      await row.locator('[data-standing="madeUp"]').getByText('补学完成').waitFor();
      await page.locator('tr', { hasText: open.session.title }).getByText('已结束，未签到').first().waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot(page, 'phone-record-made-up');
    },
    JOURNEY_MS,
  );

  it(
    'an overdue quiz of a course without make-up says it is closed and since when, with no button to start it',
    async () => {
      const page = await h.loggedIn(secretary, PHONE);
      await page.goto(`${h.base}/courses/${closed.id}/activities/${closed.quiz.id}`);
      await page.getByTestId('work-closed').getByText(`已截止，不能再提交（${monthDayTime(dueAt)} 截止）`).waitFor();
      expect(await page.getByRole('button', { name: '开始答题' }).count()).toBe(0);
      await shot(page, 'phone-make-up-closed');
      // A closed discussion stays readable, without the form to start a thread.
      await page.goto(`${h.base}/courses/${closed.id}/activities/${closed.discussion.id}`);
      await page.getByTestId('work-closed').getByText(/已截止，不能再提交/).waitFor();
      await page.getByRole('heading', { name: '研讨题目' }).waitFor();
      expect(await page.getByRole('button', { name: '发布主题' }).count()).toBe(0);
      await page.goto(`${h.base}/record`);
      await page.locator('tr', { hasText: closed.quiz.title }).locator('[data-standing="closed"]').getByText('已截止').waitFor();
    },
    JOURNEY_MS,
  );

  it(
    'the department sets a course’s make-up rule in the course form: a deadline too late is refused beside it, then saved',
    async () => {
      const page = await h.loggedIn(admin, DESKTOP);
      await page.goto(`${h.base}/courses/${closed.id}/edit`);
      await page.getByLabel('补学方式').selectOption('until');
      const deadline = page.getByLabel('补学截止时间');
      // After the course closes (its end is 60 days away): refused beside the field.
      await deadline.fill(new Date(Date.now() + 90 * DAY + 8 * HOUR).toISOString().slice(0, 16));
      await page.getByRole('button', { name: '保存' }).first().click();
      await page.locator('.field-invalid', { has: page.locator('input[name="makeUpUntil"]') }).getByText(/补学截止时间不能晚于培训班结业时间/).waitFor();
      await deadline.fill(new Date(Date.now() + 5 * DAY + 8 * HOUR).toISOString().slice(0, 16));
      await page.getByRole('button', { name: '保存' }).first().click();
      await page.getByText('已保存。').waitFor();
      const saved = expectStatus(await h.t.get(`/api/courses/${closed.id}`, adminToken), 200, 'course').json();
      expect(saved).toMatchObject({ makeUpPolicy: 'until', makeUpUntil: expect.any(String) });
      await shot(page, 'desktop-course-make-up');
    },
    JOURNEY_MS,
  );
});
