import type { INestApplicationContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { Activity } from '../../src/courses/activity.entity';
import { ProgressService } from '../../src/progress/progress.service';
import { REDIS } from '../../src/redis/redis';
import { watchKey } from '../../src/videos/video-watch.service';
import { markCompleted, pdfQrText } from '../factories/certificate.factory';
import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { eventually } from '../support/eventually';
import { failOnPageErrorsAndCloseAfterAll, JOURNEY_MS, pageWidth, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';
import { watchVideo } from '../factories/learner-work';
import { startWorker } from '../support/worker-context';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/**
 * A secretary's phone: the first page after login says what to do next (待办) with each course's figures, a
 * link leads straight to the work, and the video's figures agree; a certificate's QR code opens a page a
 * person reads on a phone, without logging in.
 */
describe('learner home, honest figures and the certificate QR page in Chromium (browser e2e)', () => {
  let h: BrowserHarness;
  let base: string;
  let worker: INestApplicationContext;
  let adminToken: string;
  let secretary: Person;
  let course: BuiltCourse;
  let noSessions: BuiltCourse;
  let finished: BuiltCourse;

  beforeAll(async () => {
    h = await startBrowserHarness();
    base = h.base;
    const t = h.t;
    worker = await startWorker();
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    secretary = await makeUser(t.dataSource, { branch, role: 'secretary', name: `欧阳书记${uniq()}` });
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();

    // A video overdue by three days, half watched; a reading due in two days; a session in three days; a
    // quiz and a discussion due in a month (not yet on the list).
    course = await buildCourse(t, adminToken, {
      requiredCreditHours: 5,
      requiredSessions: 1,
      video: { dueAt: at(-3 * DAY - HOUR), durationSeconds: 24, completionPercent: 100 },
      reading: { dueAt: at(2 * DAY + HOUR) },
      quiz: { dueAt: at(30 * DAY) },
      discussion: { dueAt: at(30 * DAY) },
      session: { startsAt: at(3 * DAY + HOUR), endsAt: at(3 * DAY + 3 * HOUR), location: '党校报告厅' },
      learnerIds: [secretary.id],
    });
    // The video file is a little longer than its whole seconds, as real files are.
    await t.dataSource.query(`UPDATE video_files SET duration_seconds = 24.04 WHERE activity_id = ?`, [course.video.id]);
    await storeWatched(course.video.id, 10);
    await watchVideo(t.app.get(ProgressService), secretary.id, await t.dataSource.getRepository(Activity).findOneByOrFail({ id: course.video.id }), 10);

    // A course without in-person sessions: its card shows no 集中培训 figure.
    noSessions = await buildCourse(t, adminToken, { requiredCreditHours: 2, learnerIds: [secretary.id] });
    expectStatus(await t.post(`/api/activities/${noSessions.session.id}/archive`, {}, adminToken), 200, 'archive the session');

    // A finished course with the secretary's certificate, compiled by the real job.
    finished = await buildCourse(t, adminToken, { learnerIds: [secretary.id] });
    await markCompleted(t.dataSource, finished.id, [secretary.id], 6.5);
    expectStatus(await t.post(`/api/courses/${finished.id}/close`, {}, adminToken), 200, 'close');
    const { jobId } = expectStatus(await t.post(`/api/courses/${finished.id}/certificates/compile`, {}, adminToken), 202, 'compile').json();
    const progress = await eventually(
      async () => expectStatus(await t.get(`/api/courses/${finished.id}/certificates/compile/${jobId}`, adminToken), 200, 'compile progress').json(),
      (p: { state: string }) => p.state === 'done' || p.state === 'failed',
      60_000,
    );
    // Closing queued a compile of its own: between the two, the one certificate is issued and rendered.
    expect(progress.state).toBe('done');
  }, 240_000);

  failOnPageErrorsAndCloseAfterAll(() => h, () => worker);

  /** The watched span as the flush job stores it in MySQL; the Redis copy is dropped so the next read loads it. */
  async function storeWatched(activityId: string, seconds: number): Promise<void> {
    await h.t.dataSource.query(
      `INSERT INTO video_progress (activity_id, user_id, course_id, intervals, watched_seconds, position_seconds) VALUES (?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE intervals = VALUES(intervals), watched_seconds = VALUES(watched_seconds), position_seconds = VALUES(position_seconds)`,
      [activityId, secretary.id, course.id, JSON.stringify([[0, seconds]]), seconds, seconds],
    );
    const redis = h.t.app.get<Redis>(REDIS);
    await redis.del(watchKey(activityId, secretary.id), `vw:ctx:${activityId}:${secretary.id}`);
  }

  it('待办 on a 375 px phone: overdue first, then due soon, each with its Beijing date, days and state; course cards show only the figures that apply; a link opens the work', async () => {
    const phone = await h.loggedIn(secretary, PHONE);
    await phone.getByRole('heading', { name: '我的学习' }).waitFor();
    const todo = phone.getByTestId('todo');
    const items = todo.getByRole('listitem');
    await items.first().waitFor();
    expect(await items.count()).toBe(3);

    const video = items.nth(0);
    expect(await video.getAttribute('aria-label')).toBe(course.video.title);
    await video.getByText(/已逾期 [34] 天/).waitFor();
    await video.getByText('进行中').waitFor();
    await video.getByText(course.title).waitFor();
    // The due date in Beijing time, although the browser runs in London.
    const due = new Date(Date.now() - 3 * DAY - HOUR + 8 * HOUR).toISOString();
    expect(await video.innerText()).toContain(`截止 ${due.slice(0, 4)}/${due.slice(5, 7)}/${due.slice(8, 10)}`);

    const reading = items.nth(1);
    expect(await reading.getAttribute('aria-label')).toBe(course.reading.title);
    await reading.getByText(/还剩 [23] 天/).waitFor();
    await reading.getByText('未开始').waitFor();
    const session = items.nth(2);
    expect(await session.getAttribute('aria-label')).toBe(course.session.title);
    await session.getByText(/[34] 天后举行/).waitFor();
    await session.getByText(/党校报告厅/).waitFor();

    const cards = phone.getByTestId('course-cards');
    const figures = async (title: string) => (await cards.getByRole('listitem', { name: title }).getByTestId('course-figures').innerText()).replace(/\s+/g, ' ').trim();
    expect(await figures(course.title)).toBe('必修任务 0 / 5 学时 0 / 5 集中培训出勤 0 / 1');
    // No session held: no 集中培训 line at all (not 0 / 0).
    expect(await figures(noSessions.title)).toBe('必修任务 0 / 4 学时 0 / 2');
    const closedCard = cards.getByRole('listitem', { name: finished.title });
    await closedCard.getByText('已结束').waitFor();
    await closedCard.getByText('已达到结业要求').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'phone-learner-home');

    // Straight to the work: the video, its seconds and percent agreeing.
    await video.getByRole('link', { name: course.video.title }).click();
    await phone.waitForURL(new RegExp(`/courses/${course.id}/activities/${course.video.id}$`));
    const watch = phone.getByTestId('watch-progress');
    await watch.getByText('已观看 41%（10 / 24 秒）').waitFor();

    // Watched to within the half second a player stops short of the end: 24 / 24 reads 100 %, not 98 %.
    await storeWatched(course.video.id, 23.6);
    await phone.reload();
    await watch.getByText('已观看 100%（24 / 24 秒）').waitFor();
    await watch.getByText('已完成').waitFor();
    expect(await watch.getByRole('progressbar').locator('.progress-fill').getAttribute('style')).toContain('100%');
    await shot(phone, 'phone-video-figures');
  }, JOURNEY_MS);

  it('honest states on a phone: a saved draft mark never stands beside an error; a requirement of none (集中培训 0 / 0) is not shown on the progress panel or the learning record', async () => {
    const phone = await h.loggedIn(secretary, PHONE);
    // From 待办 straight to the reading: save a short draft, then submit it.
    await phone.getByTestId('todo').getByRole('link', { name: course.reading.title }).click();
    const reflection = phone.getByLabel('我的心得体会，支持 Markdown 格式');
    await reflection.fill('认真学习，很有收获。');
    await phone.getByRole('button', { name: '保存草稿' }).click();
    await phone.getByText('草稿已保存。').waitFor();
    await phone.getByRole('button', { name: '提交心得' }).click();
    await phone.locator('textarea[name="body"][aria-invalid="true"]').waitFor();
    expect(await phone.getByText('草稿已保存。').count()).toBe(0);
    await shot(phone, 'phone-reflection-error-without-saved-mark');

    // The course without sessions: 学时 and required work, no 集中培训 0 / 0.
    await phone.goto(`${base}/courses/${noSessions.id}`);
    const progress = phone.getByTestId('progress');
    await progress.locator('dd').first().waitFor();
    expect(await progress.locator('dt').allInnerTexts()).toEqual(['学时', '必修任务']);
    await phone.goto(`${base}/record`);
    const summary = phone.getByRole('article').filter({ hasText: noSessions.title }).locator('.summary');
    expect(await summary.innerText()).toBe('必修 0/4，0/2 学时');
    expect(await phone.getByRole('article').filter({ hasText: course.title }).locator('.summary').innerText()).toBe('必修 0/5，0/5 学时，集中培训 0/1');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
  }, JOURNEY_MS);

  it("the certificate's QR code opens the public verification page on a 375 px phone (no login); the API's old address sends a browser there too", async () => {
    const t = h.t;
    const token = await t.login(secretary.username);
    const [certificate] = expectStatus(await t.get('/api/me/certificates', token), 200, 'my certificates').json().items;
    const pdf = expectStatus(await t.get(`/api/certificates/${certificate.id}/pdf`, token), 200, 'pdf').rawPayload;
    const qr = new URL((await pdfQrText(pdf))!);
    expect(qr.pathname).toBe(`/verify/${certificate.verificationCode}`);

    // A stranger's phone (not logged in) opens the QR's address on this server.
    const chars = [...secretary.name];
    const masked = `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
    const visitor = await h.newPage(PHONE);
    await visitor.goto(`${base}${qr.pathname}`);
    const card = visitor.getByTestId('verification');
    await card.getByText('证书有效').waitFor();
    expect(await visitor.getByTestId('verify-name').innerText()).toBe(masked);
    expect(await visitor.getByTestId('verify-course').innerText()).toBe(finished.title);
    await card.getByText(certificate.serial).waitFor();
    await card.getByText('党委组织部').waitFor();
    await card.getByText('6.5', { exact: true }).waitFor();
    // Nothing for signed-in users only: no navigation, no login form.
    expect(await visitor.getByRole('navigation').count()).toBe(0);
    expect(await visitor.getByLabel('密码').count()).toBe(0);
    expect(await pageWidth(visitor)).toBeLessThanOrEqual(PHONE.width);
    await shot(visitor, 'phone-verify-from-qr');

    // QR codes printed before the page existed point at the API: a browser lands on the same page.
    await visitor.goto(`${base}/api/certificates/verify/${certificate.verificationCode}`);
    await visitor.waitForURL(`${base}/verify/${certificate.verificationCode}`);
    await card.getByText('证书有效').waitFor();

    // Revoked, and unknown.
    expectStatus(await t.post(`/api/certificates/${certificate.id}/revoke`, { reason: '测试撤销' }, adminToken), 200, 'revoke');
    await visitor.goto(`${base}${qr.pathname}`);
    await card.getByText('证书已撤销').waitFor();
    await card.getByText(/该证书已于 \d{4}\/\d{2}\/\d{2} 撤销/).waitFor();
    await shot(visitor, 'phone-verify-revoked');
    await visitor.goto(`${base}/verify/ZZZZZZZZZZZZZZZZ`);
    await card.getByText('未找到该证书，请核对验证码。').waitFor();
    await shot(visitor, 'phone-verify-unknown');
  }, JOURNEY_MS);
});
