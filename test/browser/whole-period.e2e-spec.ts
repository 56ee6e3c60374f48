import type { INestApplicationContext } from '@nestjs/common';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { importContent } from '../../src/cli/content-import';
import { Activity } from '../../src/courses/activity.entity';
import type { DiscussionSettings } from '../../src/access/activity-settings';
import { ProgressService } from '../../src/progress/progress.service';
import { User } from '../../src/users/user.entity';
import { pdfQrText } from '../factories/certificate.factory';
import { expectStatus } from '../factories/course.factory';
import { makeUser, uniq } from '../factories/org.factory';
import { sampleVideo } from '../support/sample-videos';
import { DESKTOP, downloadFile, downloadText, login, pageWidth, PHONE, ROOT, shot, SHOTS, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';
import { attemptQuiz, postInDiscussion, recordAttendance, submitReflection, watchVideo } from '../factories/learner-work';
import { startWorker } from '../support/worker-context';

/**
 * One whole training period in the browser, as a department runs it: the roster imported, the demo class of
 * content/ loaded, published and enrolled, months of work (earlier Beijing weeks, through the progress engine
 * with their dates), this week's work done by six secretaries on 375 px phones (a video watched, a reflection
 * reviewed from the inbox, a quiz, a discussion, a check-in with the projected code, an overdue reading made up),
 * the dashboard watched after each stage, 结业, certificates compiled, a PDF downloaded and its QR code opened.
 *
 * Time: the server has no clock to move, so the class's dates are shifted by whole days to make today
 * 19 December of the demo calendar (September to November overdue, December's work due this week or next, the
 * closing ceremony on now); earlier completions carry their own dates, so the weekly series moves week by week.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEP_MS = 150_000;
const CONTENT = join(ROOT, 'content');
const DEMO_SLUG = 'branch-secretary-2026';
/** The demo calendar's "today" (Beijing): the closing ceremony week. */
const DEMO_TODAY = '2026-12-19';
const NEW_PASSWORD = 'Period-2026-own';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An ISO time with the +08:00 offset, as course.yaml writes them. */
const beijingIso = (ms: number) => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;

/** Who does what this week (the rest of their work was done in earlier weeks). */
const PEOPLE = [
  { name: '林晓燕', unit: 0, branch: '中文系教工党支部', doesNow: 'dec-video-summary' },
  { name: '周建国', unit: 0, branch: '中文系教工党支部', doesNow: 'dec-reading-research-service' },
  { name: '吴海涛', unit: 0, branch: '历史系学生党支部', doesNow: 'dec-quiz' },
  { name: '郑丽华', unit: 1, branch: '材料系教工党支部', doesNow: 'dec-discussion' },
  { name: '孙志强', unit: 1, branch: '材料系教工党支部', doesNow: 'dec-session-closing' },
  // Behind: missed a November reading (made up this week) and has not started December.
  { name: '马文静', unit: 1, branch: '化学系学生党支部', doesNow: 'nov-reading-member-education' },
] as const;
const CLOSING_SESSION = 'dec-session-closing';

interface Secretary extends Person {
  unit: string;
  initialPassword: string;
  doesNow: string;
  phone?: Page;
}

const REFLECTION_DEC = `读完《调查研究与联系服务师生》，我对支部调研有了新的认识。过去我们支部也做过问卷，但题目往往大而空，
收回来的意见很难落实。这次我准备从青年教师反映最集中的一件小事入手：实验室排班和教学任务冲突，导致部分青年教师难以参加组织生活。
我打算先个别访谈五位青年教师和两位老党员，再召开一次小型座谈会，把问题的来龙去脉弄清楚。能在支部解决的，比如调整组织生活时间、
实行线上线下结合，我们马上改；需要学院协调的排班问题，形成书面建议报告学院党委。下学期再回访一次，看看改进措施是否真正见效，
形成调研、服务、再调研的闭环。通过这次学习，我体会到调查研究不是写一份漂亮的报告，而是要真正解决党员和师生的实际困难，
让大家感受到支部就在身边。今后我会把调研当作支部工作的日常功夫，每学期至少围绕一个具体问题开展一次调研，并把结果向全体党员通报。
同时，我也认识到支部书记要带头深入一线，多听少说，把党员和师生的意见当作改进工作的第一手材料，而不是只看书面汇报。`;

const REFLECTION_NOV = `学习《党员教育管理的日常功夫》之后，我对照检查了我们学生党支部的做法。支部党员分散在不同年级和实验室，
集中学习的时间很难统一，以前的学习常常是传达文件、签到了事。学习后我们做了三点改进：一是建立党员学习小组，每组三到四人，
由高年级党员带低年级党员，每两周交流一次学习体会；二是把理论学习和专业学习结合起来，请优秀党员分享科研和学习中的经验，
让学习更有吸引力；三是建立党员联系宿舍制度，及时了解同学们的思想动态和实际困难，帮助解决具体问题。对外出实习的党员，
我们通过线上方式组织他们参加组织生活，并请他们定期报告思想和学习情况。通过这些做法，党员参加组织生活的积极性明显提高，
支部的凝聚力也增强了。我深刻体会到，党员教育管理贵在经常、重在日常，支部书记要把功夫下在平时，
既要严格要求，又要关心爱护，让每一名党员都能在支部中找到归属感，发挥先锋模范作用。下一步，我还要完善党员积分管理办法，
把日常表现记录下来，作为评议党员的重要依据。`;

const THREAD_BODY = `我们支部准备调研的问题是：青年教师参加组织生活的时间难以保证。很多青年教师承担大量本科教学和科研任务，
组织生活常常与上课、实验时间冲突。我打算先个别访谈青年教师和教研室主任，了解冲突最集中的时间段，再和学院沟通调整排课，
并尝试把部分学习改到线上进行，调研结果向全体党员通报并形成改进措施。`;
const REPLY_BODY = `赞同老师提出的“小切口”思路。我们支部的做法是先从党员反映最集中的一件事做起，比如实验室安全和值班安排，
访谈时请党员和非党员同学都参加，听到的意见更全面，调研结束后把能立即解决的问题列成清单，一项一项销号，效果很好。`;

/** "52.2%" → 52.2. */
const percentOf = (text: string) => Number(text.trim().replace(/%$/, ''));
/** A share as the dashboard rounds it, in percent. */
const rounded = (share: number) => Math.round(share * 1000) / 10;

/** What a phone shows around `target`: long pages' full-page shots are too tall to read. */
async function shotAround(page: Page, target: Locator, name: string): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** A private copy of the demo class: a fresh slug and title, its dates moved so that today is DEMO_TODAY. */
function periodContent(instructor: string, tag: string, period: number) {
  const root = mkdtempSync(join(tmpdir(), 'bst-period-'));
  cpSync(CONTENT, root, { recursive: true });
  const slug = `period-${tag}`;
  const folder = join(root, 'courses', slug);
  renameSync(join(root, 'courses', DEMO_SLUG), folder);
  const file = join(folder, 'course.yaml');
  const doc = parseYaml(readFileSync(file, 'utf8')) as Doc;

  const todayBeijing = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
  const shift = Date.parse(`${todayBeijing}T00:00:00+08:00`) - Date.parse(`${DEMO_TODAY}T00:00:00+08:00`);
  const move = (iso: string) => beijingIso(Date.parse(iso) + shift);
  doc.slug = slug;
  doc.title = `${doc.title}（第${period}期）`;
  doc.startsAt = move(doc.startsAt);
  doc.endsAt = move(doc.endsAt);
  doc.instructors = [instructor];
  doc.publish = false; // the department publishes it in the editor
  delete doc.enrollment; // and enrols the units on the enrolments page
  const ordinal = ['一', '二', '三', '四'];
  doc.sections.forEach((section: Doc, i: number) => {
    // Shifted, the months no longer match the titles' 九月…十二月: the sections are numbered instead.
    section.title = String(section.title).replace(/^[^：]+月：/, `第${ordinal[i]}个月：`);
    for (const activity of section.activities as Doc[]) {
      for (const field of ['opensAt', 'dueAt', 'startsAt', 'endsAt']) if (activity[field]) activity[field] = move(activity[field]);
      // The closing ceremony is on now, so the secretaries can check in with the projected code.
      if (activity.key === CLOSING_SESSION) {
        const minute = Math.floor(Date.now() / 60_000) * 60_000;
        activity.startsAt = beijingIso(minute - 10 * 60_000);
        activity.endsAt = beijingIso(minute + 3 * HOUR);
      }
      // A six-second lesson instead of the 28-second one, so the test watches it whole at 1×.
      if (activity.key === 'dec-video-summary') activity.durationSeconds = 6;
    }
  });
  copyFileSync(sampleVideo(6, 'mp4').path, join(folder, 'videos', 'dec-summary.mp4'));
  writeFileSync(file, stringifyYaml(doc));
  const questions = ['quizzes/dec.yaml', 'quizzes/bank.yaml', 'quizzes/nov.yaml'].flatMap((path) => (parseYaml(readFileSync(join(folder, path), 'utf8')) as Doc).questions as Doc[]);
  return { root, doc, questions };
}

describe('a whole training period in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;
  let worker: INestApplicationContext;
  let admin: Person;
  let instructor: Person;
  let instructorToken: string;
  let content: ReturnType<typeof periodContent>;
  let tag: string;
  let period: number;
  let units: string[];
  let courseId: string;
  let courseTitle: string;
  let activities: Map<string, Activity>;
  let secretaries: Secretary[];
  let desk: Page;
  const shown: Array<{ average: number; weekly: number[] }> = [];

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    worker = await startWorker();
    admin = await makeUser(h.t.dataSource, { role: 'admin', name: '组织部王主任' });
    instructor = await makeUser(h.t.dataSource, { role: 'instructor', name: '党校赵老师' });
    instructorToken = await h.t.login(instructor.username);
    tag = uniq();
    period = 10 + (parseInt(tag.slice(0, 4), 16) % 90);
    units = ['人文学院党委', '材料学院党委'];
    content = periodContent(instructor.username, tag, period);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await h?.close();
    if (content) rmSync(content.root, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(h.pageErrors).toEqual([]);
  });

  const byName = (name: string) => secretaries.find((s) => s.name === name)!;
  const doer = (key: string) => secretaries.find((s) => s.doesNow === key)!;
  const required = () => [...activities.values()].filter((a) => a.required);
  const sectionOf = (a: Activity) => a.contentKey!.split('-')[0];

  /** The department's dashboard as the page shows it: the average, the spread and the weekly series' figures. */
  async function dashboard(stage: string) {
    await desk.goto(`${base}/courses/${courseId}/report`);
    await desk.getByTestId('total-enrolled').getByText('6', { exact: true }).waitFor();
    await desk.getByTestId('chart-progress-weekly').locator('canvas').waitFor();
    const average = percentOf(await desk.getByTestId('total-avg-required').innerText());
    const distribution = await desk.getByTestId('distribution').locator('li').allInnerTexts();
    await desk.getByText('查看每周数据').click();
    const figures = desk.getByTestId('progress-weekly');
    await figures.locator('tbody tr').first().waitFor();
    const weekly = (await figures.locator('tbody td').allInnerTexts()).map(percentOf);
    await shot(desk, `period-dashboard-${stage}`);
    shown.push({ average, weekly });
    return { average, weekly, distribution };
  }

  /** Completions of earlier weeks, through the progress engine with the date each was done. */
  async function doneEarlier(person: Secretary, keys: string[]) {
    const engine = h.t.app.get(ProgressService);
    for (const key of keys) {
      const activity = activities.get(key)!;
      const settings = activity.settings as unknown as Record<string, unknown>;
      // Two days after it opened (a session: during it), a few hours apart per learner.
      const offset = secretaries.indexOf(person) * 3 * HOUR;
      const at = new Date(activity.type === 'session' ? Date.parse(String(settings.startsAt)) + HOUR : (activity.opensAt ?? activity.dueAt!).getTime() + 2 * DAY + offset);
      expect(at.getTime()).toBeLessThan(Math.min(Date.now(), activity.dueAt?.getTime() ?? Infinity));
      if (activity.type === 'video') await watchVideo(engine, person.id, activity, Number(settings.durationSeconds), at);
      else if (activity.type === 'reading') await submitReflection(engine, person.id, activity, true, at);
      else if (activity.type === 'quiz') await attemptQuiz(engine, person.id, activity, true, at);
      else if (activity.type === 'discussion') {
        const rules = activity.settings as DiscussionSettings;
        await postInDiscussion(engine, person.id, activity, { posts: rules.minPosts, replies: rules.minReplies }, at);
      } else await recordAttendance(engine, person.id, activity, 'present', at);
    }
  }

  /** A secretary's phone, signed in: the first time with the initial password, which the platform makes them change. */
  async function phoneOf(person: Secretary): Promise<Page> {
    if (person.phone && !person.phone.isClosed()) return person.phone;
    const phone = await h.newPage(PHONE);
    await phone.goto(`${base}/login`);
    await login(phone, person.username, person.initialPassword);
    await phone.getByText('首次登录请先设置自己的密码，之后才能使用平台。').waitFor();
    await phone.getByLabel('当前密码（初始密码）').fill(person.initialPassword);
    await phone.getByLabel('新密码（至少 8 位）').fill(NEW_PASSWORD);
    await phone.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
    await phone.getByRole('button', { name: '修改密码' }).click();
    await phone.getByRole('heading', { name: '我的学习' }).waitFor();
    person.phone = phone;
    return phone;
  }

  /** The 待办 item of `key` on the secretary's home page, followed to the activity. */
  async function openFromTodo(phone: Page, key: string, state: RegExp): Promise<void> {
    const title = activities.get(key)!.title;
    await phone.goto(`${base}/`);
    const item = phone.getByTestId('todo').getByRole('listitem', { name: title });
    await item.getByText(state).waitFor();
    await item.getByRole('link', { name: title }).click();
    await phone.waitForURL(new RegExp(`/activities/${activities.get(key)!.id}$`));
  }

  /** Answers every question of the attempt from the class's own files (options are shuffled: by their text). */
  async function answerAll(attempt: Locator): Promise<number> {
    const fieldsets = attempt.locator('fieldset.question');
    const count = await fieldsets.count();
    for (let i = 0; i < count; i += 1) {
      const fieldset = fieldsets.nth(i);
      const legend = await fieldset.locator('legend').innerText();
      const question = content.questions.find((q) => legend.includes(String(q.prompt).trim()));
      if (!question) throw new Error(`no answer for ${legend}`);
      if (question.kind === 'single') await fieldset.getByLabel(question.options[question.answer], { exact: true }).check();
      if (question.kind === 'multiple') for (const index of question.answer as number[]) await fieldset.getByLabel(question.options[index], { exact: true }).check();
      if (question.kind === 'truefalse') await fieldset.getByLabel(question.answer ? '正确' : '错误', { exact: true }).check();
      if (question.kind === 'text') await fieldset.getByRole('textbox').fill(String(Array.isArray(question.answer) ? question.answer[0] : question.answer));
    }
    return count;
  }

  it('the department downloads the roster template, checks a roster of two units in a dry run, then imports it (确认导入) and keeps the initial passwords', async () => {
    desk = await h.loggedIn(admin, DESKTOP);
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '名册导入' }).click();
    await desk.getByRole('heading', { name: '名册导入' }).waitFor();
    const template = await downloadText(desk, () => desk.getByRole('button', { name: '下载 CSV 模板' }).click());
    const header = template.text.replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header).toBe('工号,姓名,单位,支部,邮箱,角色');

    // The roster as the units send it: the template's header, one row per secretary.
    const usernames = PEOPLE.map((_, i) => `26${String(parseInt(tag, 16) % 1e6).padStart(6, '0')}${i + 1}`);
    const rows = PEOPLE.map((p, i) => [usernames[i], p.name, units[p.unit], p.branch, `${usernames[i]}@example.edu.cn`, '书记'].join(','));
    const roster = Buffer.from(`\uFEFF${header}\r\n${rows.join('\r\n')}\r\n`, 'utf8');
    await desk.getByLabel('名册文件，CSV 或 XLSX 格式').setInputFiles({ name: '培训班名册.csv', mimeType: 'text/csv', buffer: roster });
    await desk.getByRole('button', { name: '预检（不写入）' }).click();
    await desk.getByText('未发现错误，可以确认导入。').waitFor();
    const changes = desk.getByTestId('import-changes');
    for (const p of PEOPLE) await changes.getByRole('rowheader', { name: p.name }).waitFor();
    for (const unit of units) await desk.getByTestId('import-result').getByText(unit, { exact: true }).waitFor();
    await shot(desk, 'period-roster-dry-run');
    // Nothing written by the dry run.
    expect(await h.t.dataSource.getRepository(User).countBy({ username: usernames[0] })).toBe(0);

    await desk.getByRole('button', { name: '确认导入' }).click();
    await desk.getByText('导入完成。').waitFor();
    const credentials = desk.getByTestId('credentials');
    secretaries = [];
    for (const [i, p] of PEOPLE.entries()) {
      const row = credentials.getByRole('row').filter({ hasText: usernames[i] });
      const initialPassword = (await row.locator('code').innerText()).trim();
      const user = await h.t.dataSource.getRepository(User).findOneByOrFail({ username: usernames[i] });
      expect(user).toMatchObject({ name: p.name, role: 'secretary' });
      secretaries.push({ id: user.id, username: user.username, name: p.name, unit: units[p.unit], initialPassword, doesNow: p.doesNow });
    }
    const handout = await downloadText(desk, () => desk.getByRole('button', { name: '下载初始密码 CSV' }).click());
    for (const s of secretaries) expect(handout.text).toContain(`${s.username},${s.name},${s.initialPassword}`);
    await shot(desk, 'period-roster-imported');
  }, STEP_MS);

  it('the class comes from content/: the department opens it, reads its plan, publishes it in the editor and enrols both units; the dashboard says what will appear', async () => {
    const [report] = await importContent(content.root, () => undefined);
    expect(report).toMatchObject({ course: 'created', published: false, videosStored: 4 });
    courseId = report.courseId;
    courseTitle = content.doc.title;
    activities = new Map((await h.t.dataSource.getRepository(Activity).findBy({ courseId })).map((a) => [a.contentKey!, a]));
    expect(required()).toHaveLength(23);

    // The class's page (a department's course list holds every period ever run: the test goes straight to it).
    await desk.goto(`${base}/courses/${courseId}`);
    await desk.getByRole('heading', { name: new RegExp(courseTitle) }).waitFor();
    // The plan by Beijing month: every activity of the class, the closing ceremony with its place.
    for (const a of required()) await desk.locator('tbody th', { hasText: a.title }).first().waitFor();
    await desk.getByText('行政楼报告厅').first().waitFor();
    await shot(desk, 'period-course-plan');

    await desk.getByRole('link', { name: '编辑培训班' }).click();
    await desk.waitForURL(`**/courses/${courseId}/edit`);
    await desk.getByRole('button', { name: '发布', exact: true }).click();
    await desk.getByText('已发布。').waitFor();
    await shot(desk, 'period-course-published');

    await desk.getByRole('link', { name: /学习安排表/ }).first().click();
    await desk.getByRole('link', { name: '学员', exact: true }).click();
    await desk.waitForURL(`**/courses/${courseId}/enrollments`);
    // Units are found by name (a university has more than one list shows); a chosen one stays chosen.
    const find = desk.getByLabel('查找二级党组织或党支部');
    for (const unit of units) {
      await find.fill(unit);
      await desk.getByLabel(unit, { exact: true }).check();
    }
    expect(await desk.getByLabel(units[0], { exact: true }).isChecked()).toBe(true);
    await desk.getByRole('button', { name: '报名', exact: true }).click();
    await desk.getByText('新报名 6 人，现共 6 人。').waitFor();
    const enrolled = desk.getByTestId('enrollments');
    for (const s of secretaries) await enrolled.getByRole('rowheader', { name: s.name }).waitFor();
    await shot(desk, 'period-enrolled');

    await desk.goto(`${base}/courses/${courseId}/report`);
    await desk.getByTestId('total-enrolled').getByText('6', { exact: true }).waitFor();
    await desk.getByTestId('dash-empty').getByText(/学员开始学习后/).waitFor();
    await shot(desk, 'period-dashboard-0-before');
  }, STEP_MS);

  it('months one and two, then three and the start of four (done in their own Beijing weeks): the dashboard moves week by week and keeps the earlier weeks', async () => {
    const early = required().filter((a) => ['sep', 'oct'].includes(sectionOf(a)));
    for (const s of secretaries) await doneEarlier(s, early.map((a) => a.contentKey!));
    const first = await dashboard('1-two-months');
    expect(first.average).toBe(rounded(72 / 138));
    // Everyone is at 12 of 23 required activities; November's work is overdue for all, in both units.
    expect(first.distribution).toEqual(['0% 0 人', '1–25% 0 人', '26–50% 0 人', '51–75% 6 人', '76–99% 0 人', '100% 0 人']);
    const overdue = desk.getByTestId('overdue-units').locator('tbody tr');
    expect(await overdue.count()).toBe(2);
    // The weekly series climbs through the first two months, then stays flat: nothing was done since.
    const values = first.weekly;
    expect(values.length).toBeGreaterThanOrEqual(16);
    expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
    expect(new Set(values.slice(0, 9)).size).toBeGreaterThanOrEqual(3);
    expect(values.at(-1)).toBe(first.average);
    const flatSince = values.findIndex((v) => v === values.at(-1));
    expect(flatSince).toBeLessThan(values.length - 5);

    for (const s of secretaries) {
      const later = required().filter((a) => ['nov', 'dec'].includes(sectionOf(a)) && a.contentKey !== s.doesNow && a.contentKey !== CLOSING_SESSION);
      await doneEarlier(s, later.filter((a) => s.doesNow.startsWith('dec') || sectionOf(a) === 'nov').map((a) => a.contentKey!));
    }
    const second = await dashboard('2-three-months');
    expect(second.average).toBe(rounded(123 / 138));
    expect(second.average).toBeGreaterThan(first.average);
    expect(second.distribution).toEqual(['0% 0 人', '1–25% 0 人', '26–50% 0 人', '51–75% 1 人', '76–99% 5 人', '100% 0 人']);
    // Only the behind secretary's unit still has overdue work: the one missed November reading.
    await overdue.first().waitFor();
    expect(await overdue.count()).toBe(1);
    expect(await overdue.first().innerText()).toContain(units[1]);
    // Weeks already shown keep their values; the later weeks rise.
    const now = second.weekly;
    expect(now.slice(0, flatSince)).toEqual(values.slice(0, flatSince));
    expect(now.at(-1)).toBeGreaterThan(values.at(-1)!);
    expect(now.every((v, i) => i === 0 || v >= now[i - 1])).toBe(true);
  }, STEP_MS);

  it('this week on 375 px phones: each secretary signs in for the first time (choosing a password) and finds their work in 待办; one watches the video lesson to the end, one writes a reflection', async () => {
    for (const s of secretaries) await phoneOf(s);

    const watcher = doer('dec-video-summary');
    const phone = await phoneOf(watcher);
    await shot(phone, 'period-phone-home-todo');
    await openFromTodo(phone, 'dec-video-summary', /今天截止|明天截止|还剩 \d 天/);
    const watch = phone.getByTestId('watch-progress');
    await watch.getByText('已观看 0%').waitFor();
    // Real playback of the six-second sample (muted, 1×) until the server counts it complete.
    await phone.getByTestId('video').evaluate((video: { muted: boolean; play(): Promise<void> }) => {
      video.muted = true;
      return video.play();
    });
    await watch.getByText('已完成').waitFor({ timeout: 30_000 });
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'period-phone-video-watched');

    const writer = doer('dec-reading-research-service');
    const reader = await phoneOf(writer);
    await openFromTodo(reader, 'dec-reading-research-service', /今天截止|明天截止|还剩 \d 天/);
    await reader.getByRole('article', { name: '阅读材料' }).waitFor();
    await reader.getByLabel('我的心得体会，支持 Markdown 格式').fill(REFLECTION_DEC);
    await reader.getByTestId('reflection-count').getByText(/已写 \d{3} 字 \/ 至少 300 字/).waitFor();
    await reader.getByRole('button', { name: '提交心得' }).click();
    await reader.getByText('心得已提交，等待教师审核。').waitFor();
    expect(await pageWidth(reader)).toBeLessThanOrEqual(PHONE.width);
    await shotAround(reader, reader.getByText('心得已提交，等待教师审核。'), 'period-phone-reflection-submitted');
  }, STEP_MS);

  it('a secretary takes the December quiz (its own questions and ones drawn from the bank) and passes; another starts a thread and replies in the instructor\'s, which completes the discussion', async () => {
    const taker = await phoneOf(doer('dec-quiz'));
    await openFromTodo(taker, 'dec-quiz', /今天截止|明天截止|还剩 \d 天/);
    await taker.getByRole('button', { name: '开始答题' }).click();
    const attempt = taker.getByRole('form', { name: '第 1 次作答' });
    await attempt.locator('fieldset.question').first().waitFor();
    // Nine of its own and three drawn from the bank by theme.
    expect(await answerAll(attempt)).toBe(12);
    await shotAround(taker, attempt.locator('fieldset.question').first(), 'period-phone-quiz');
    await attempt.getByRole('button', { name: '交卷' }).click();
    await taker.getByTestId('quiz-result').getByText('已通过').waitFor();
    expect(await pageWidth(taker)).toBeLessThanOrEqual(PHONE.width);

    // The instructor opened the discussion with a thread of their own.
    const discussion = activities.get('dec-discussion')!;
    const opening = '调研选题交流';
    expectStatus(await h.t.post(`/api/activities/${discussion.id}/threads`, { title: opening, body: '请各位书记谈谈准备调研的问题，并相互提出建议。' }, instructorToken), 201, 'instructor thread');
    const poster = await phoneOf(doer('dec-discussion'));
    await openFromTodo(poster, 'dec-discussion', /今天截止|明天截止|还剩 \d 天/);
    const form = poster.getByRole('form', { name: '发起新主题' });
    const title = '青年教师参加组织生活的时间如何保证';
    await form.getByLabel('主题标题').fill(title);
    await form.getByLabel('内容，支持 Markdown 格式').fill(THREAD_BODY);
    await form.getByRole('button', { name: '发布主题' }).click();
    await poster.getByRole('heading', { name: new RegExp(title) }).waitFor();
    await poster.goto(`${base}/activities/${discussion.id}`);
    await poster.getByTestId('my-state').getByText('进行中').waitFor();
    await poster.getByTestId('threads').getByRole('link', { name: opening }).click();
    const reply = poster.getByRole('form', { name: '参与讨论' });
    await reply.getByLabel('内容，支持 Markdown 格式').fill(REPLY_BODY);
    await reply.getByRole('button', { name: '发表' }).click();
    // The reply, posted (not the text still in the form).
    await poster.getByRole('article', { name: `${doer('dec-discussion').name} 的帖子` }).filter({ hasText: '访谈时请党员和非党员同学都参加' }).waitFor();
    await poster.goto(`${base}/activities/${discussion.id}`);
    await poster.getByTestId('my-state').getByText('已完成').waitFor();
    expect(await pageWidth(poster)).toBeLessThanOrEqual(PHONE.width);
    await shot(poster, 'period-phone-discussion');
  }, STEP_MS);

  it('the closing ceremony: the instructor projects the check-in code, a secretary types it on the phone; the behind secretary makes up the overdue reading and the record says 补学', async () => {
    const session = activities.get(CLOSING_SESSION)!;
    const teacher = await h.loggedIn(instructor, DESKTOP);
    await teacher.goto(`${base}/activities/${session.id}`);
    await teacher.getByRole('button', { name: '开启签到并投屏' }).click();
    await teacher.waitForURL(/\/checkin-screen$/);
    const code = teacher.getByTestId('checkin-code');
    await code.waitFor();
    await shot(teacher, 'period-checkin-projector');

    const attendee = await phoneOf(doer(CLOSING_SESSION));
    await openFromTodo(attendee, CLOSING_SESSION, /正在进行/);
    await attendee.getByLabel('签到码').fill((await code.innerText()).trim());
    await attendee.getByRole('button', { name: '签到', exact: true }).click();
    await attendee.getByTestId('checkin-done').getByText('签到成功。').waitFor();
    expect(await pageWidth(attendee)).toBeLessThanOrEqual(PHONE.width);
    await shot(attendee, 'period-phone-checked-in');
    // The others signed the paper list at the door; the instructor records them present.
    const present = secretaries.filter((s) => s.doesNow.startsWith('dec') && s.doesNow !== CLOSING_SESSION).map((s) => s.id);
    expectStatus(await h.t.put(`/api/activities/${session.id}/attendance`, { userIds: present, present: true }, instructorToken), 200, 'attendance');

    const late = doer('nov-reading-member-education');
    const phone = await phoneOf(late);
    // Overdue work comes first in 待办, with how long it is overdue.
    await phone.goto(`${base}/`);
    expect(await phone.getByTestId('todo').getByRole('listitem').first().getAttribute('aria-label')).toBe(activities.get(late.doesNow)!.title);
    await openFromTodo(phone, late.doesNow, /已逾期 \d+ 天/);
    const notice = phone.getByTestId('make-up-open');
    await notice.getByText(/^已逾期，可补学至 \d+月\d+日 \d\d:\d\d$/).waitFor();
    await shotAround(phone, notice, 'period-phone-make-up-open');
    await phone.getByLabel('我的心得体会，支持 Markdown 格式').fill(REFLECTION_NOV);
    await phone.getByRole('button', { name: '提交心得' }).click();
    await phone.getByText('心得已提交，本任务已完成。').waitFor();
    await phone.reload();
    await phone.getByTestId('made-up').getByText('补学完成').waitFor();
    await phone.goto(`${base}/record`);
    await phone.getByRole('heading', { name: courseTitle }).waitFor();
    const row = phone.locator('tr', { hasText: activities.get(late.doesNow)!.title });
    await row.locator('[data-standing="madeUp"]').getByText('补学完成').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shotAround(phone, row, 'period-phone-record-made-up');
  }, STEP_MS);

  it('the instructor approves the reflection from the review inbox; the department sees this week lift the dashboard (five at 100 %, nothing overdue)', async () => {
    const teacher = await h.loggedIn(instructor, DESKTOP);
    // One reflection waits for review: the made-up one's reading asks for no approval, so it waits for nobody.
    await teacher.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待审心得（1）' }).click();
    const item = teacher.getByTestId('inbox-item').filter({ hasText: doer('dec-reading-research-service').name });
    await item.getByText(/实验室排班/).first().waitFor();
    await shot(teacher, 'period-instructor-inbox');
    await item.getByRole('button', { name: '通过' }).click();
    await teacher.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待审心得', exact: true }).waitFor();

    const before = shown.at(-1)!;
    const third = await dashboard('3-this-week');
    expect(third.average).toBe(rounded(133 / 138));
    expect(third.average).toBeGreaterThan(before.average);
    expect(third.distribution).toEqual(['0% 0 人', '1–25% 0 人', '26–50% 0 人', '51–75% 0 人', '76–99% 1 人', '100% 5 人']);
    expect(await desk.getByTestId('total-completed').innerText()).toBe('5');
    // Nothing overdue, although most of the plan is past its due time: all of it done.
    await desk.getByTestId('overdue-none').getByText('已过截止时间的必修任务，学员都已完成。').waitFor();
    // This week's point rises; every earlier week keeps its value.
    const values = third.weekly;
    // (Compared up to the week before the last one shown earlier, so a run across Monday 00:00 Beijing still holds.)
    expect(values.slice(0, before.weekly.length - 1)).toEqual(before.weekly.slice(0, -1));
    expect(values.at(-1)).toBeGreaterThan(before.weekly.at(-1)!);
    expect(values.at(-1)).toBe(third.average);

    const phone = await h.loggedIn(admin, PHONE);
    await phone.goto(`${base}/courses/${courseId}/report`);
    await phone.getByTestId('total-completed').getByText('5', { exact: true }).waitFor();
    await phone.getByTestId('chart-progress-weekly').locator('canvas').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'period-phone-dashboard-this-week');
    await phone.close();
  }, STEP_MS);

  it('结业: the dialog says six are frozen and five get certificates; the compile runs to the end and the certificates page lists them', async () => {
    await desk.goto(`${base}/courses/${courseId}`);
    await desk.getByRole('button', { name: '结业', exact: true }).click();
    const dialog = desk.getByRole('dialog', { name: /确认结业/ });
    await dialog.getByText('全部 6 名学员的学习进度定格为最终成绩，之后不能再学习或补交。').waitFor();
    await dialog.getByText('为完成学习的 5 名学员编制结业证书。').waitFor();
    await shot(desk, 'period-close-confirm');
    await dialog.getByRole('button', { name: '确认结业' }).click();
    await dialog.getByText('培训班已结业。').waitFor();
    const progress = dialog.getByTestId('compile-progress');
    await progress.getByText('已处理 5 / 5').waitFor({ timeout: 60_000 });
    await progress.getByText('编制完成，本次新颁发 5 份。').waitFor();
    await shot(desk, 'period-close-compiled');
    await dialog.getByRole('link', { name: '查看结业证书' }).click();
    await desk.getByRole('heading', { name: '编制结业证书' }).waitFor();
    const rows = desk.getByTestId('certificates').locator('tbody tr');
    await rows.nth(4).waitFor();
    expect(await rows.count()).toBe(5);
    for (const s of secretaries.filter((p) => p.doesNow.startsWith('dec'))) await rows.filter({ hasText: s.name }).waitFor();
    expect(await rows.filter({ hasText: doer('nov-reading-member-education').name }).count()).toBe(0);
    await shot(desk, 'period-certificates');
  }, STEP_MS);

  it('a secretary downloads the certificate from 我的证书 on the phone; its QR code opens the verification page on a 375 px phone: 证书有效', async () => {
    const owner = doer('dec-video-summary');
    const phone = await phoneOf(owner);
    await phone.goto(`${base}/`);
    await phone.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的证书' }).click();
    await phone.getByRole('heading', { name: '我的证书' }).waitFor();
    const card = phone.getByTestId('my-certificates').getByRole('listitem', { name: courseTitle });
    const pdf = await downloadFile(phone, () => card.getByRole('button', { name: '下载 PDF' }).click());
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'period-phone-my-certificate');

    const qr = new URL((await pdfQrText(pdf.bytes))!);
    expect(qr.pathname).toMatch(/^\/verify\/\w+$/);
    const visitor = await h.newPage(PHONE);
    await visitor.goto(`${base}${qr.pathname}`);
    const verification = visitor.getByTestId('verification');
    await verification.getByText('证书有效').waitFor();
    expect(await visitor.getByTestId('verify-course').innerText()).toBe(courseTitle);
    expect(await visitor.getByTestId('verify-name').innerText()).toBe(`${[...owner.name][0]}*${[...owner.name].at(-1)}`);
    await verification.getByText('57', { exact: true }).waitFor();
    expect(await pageWidth(visitor)).toBeLessThanOrEqual(PHONE.width);
    await shot(visitor, 'period-phone-verify');
  }, STEP_MS);
});
