import type { Page } from 'playwright-core';
import { buildCourse, expectStatus, type BuiltCourse } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { sampleVideo } from '../support/sample-videos';
import { JOURNEY_MS, PHONE, shot, startBrowserHarness, type BrowserHarness, type Person } from './browser-support';

/**
 * The video player loses no watched time: spans the API did not take (a restart, a network blip) wait, survive
 * a reload and go out when it is back; the last span goes out when the page is hidden or left. The server's
 * own record (GET /watch) is the judge.
 */
describe('video player: no watched time lost (browser e2e)', () => {
  let h: BrowserHarness;
  let secretary: Person;
  let token: string;
  let course: BuiltCourse;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const t = h.t;
    const branch = await makeBranch(h.t.dataSource, await makeUnit(t.dataSource));
    secretary = await makeUser(t.dataSource, { branch, role: 'secretary', name: `刘书记${uniq()}` });
    const adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    course = await buildCourse(t, adminToken, { learnerIds: [secretary.id] });
    const sample = sampleVideo(40, 'webm');
    const upload = multipartFile('file', sample.name, sample.bytes, 'video/webm');
    expectStatus(await t.request({ method: 'POST', url: `/api/activities/${course.video.id}/video`, token: adminToken, ...upload }), 200, 'upload video');
    token = await t.login(secretary.username);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    expect(h.pageErrors).toEqual([]);
  });

  /** What the server has recorded for the learner. */
  const recorded = async () => (await h.t.get(`/api/activities/${course.video.id}/watch`, token)).json() as { watchedSeconds: number; intervals: [number, number][] };
  async function recordedAtLeast(seconds: number) {
    const deadline = Date.now() + 15_000;
    let last = await recorded();
    while (last.watchedSeconds < seconds && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      last = await recorded();
    }
    return last;
  }

  /** The page's <video> element, as far as these steps use it (this file compiles without the DOM's types). */
  type VideoElement = { muted: boolean; currentTime: number; play(): Promise<void>; pause(): void };
  const player = (page: Page) => page.getByTestId('video');
  /** Plays (muted, 1×) until the video's own clock reaches `seconds`; polled from here, not by page timers. */
  async function playUntil(page: Page, seconds: number): Promise<number> {
    await player(page).evaluate((video: VideoElement) => {
      video.muted = true;
      return video.play();
    });
    for (;;) {
      const now = await player(page).evaluate((video: VideoElement) => video.currentTime);
      if (now >= seconds) return now;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  /** What the browser does when the learner switches to another app or tab, and back. */
  const visibility = (state: 'hidden' | 'visible') =>
    `Object.defineProperty(document, 'visibilityState', { value: '${state}', configurable: true }); document.dispatchEvent(new Event('visibilitychange'))`;
  const pause = (page: Page) => player(page).evaluate((video: VideoElement) => video.pause());

  it('keeps the spans the API did not take, through a reload, and sends them when it is back; sends the last span on hide and leave', async () => {
    const page = await h.loggedIn(secretary, PHONE);
    // Page timers under the test's hand: retries can be hurried, and the 15-second report paused.
    await page.clock.install();
    await page.goto(`${h.base}/activities/${course.video.id}`);
    const progress = page.getByTestId('watch-progress');
    await progress.getByText('已观看 0%').waitFor();
    const retrying = page.getByTestId('watch-retrying');

    // The API goes away: the connection drops, then a proxy answers 503 while it restarts.
    let failed = 0;
    await page.context().route('**/api/activities/*/progress', (route) =>
      failed++ === 0 ? route.abort('connectionreset') : route.fulfill({ status: 503, json: { statusCode: 503, message: '服务暂不可用', code: 'UNAVAILABLE' } }),
    );
    await playUntil(page, 4);
    await pause(page);
    await retrying.getByText('进度未保存，正在重试').waitFor();
    await shot(page, 'phone-video-retrying');
    const watchedBeforeReload = await playUntil(page, 8);
    await pause(page);
    // What waits is one merged span, kept in the tab's storage.
    const waiting = await page.evaluate<unknown>(
      `Object.keys(sessionStorage).filter((key) => key.startsWith('bst.watch.') && key !== 'bst.watch.device').map((key) => JSON.parse(sessionStorage.getItem(key)))`,
    );
    expect(waiting).toEqual([[{ from: expect.closeTo(0, 0), to: expect.closeTo(watchedBeforeReload, 0) }]]);
    expect(failed).toBeGreaterThanOrEqual(2);
    // A reload takes it along: the new page sends it again (refused again, so it keeps trying). (The old page
    // also sends it as it goes, with keepalive, which the test's interception cannot stop.)
    const failedBeforeReload = failed;
    await page.reload();
    await progress.waitFor();
    await retrying.waitFor();
    expect(failed).toBeGreaterThan(failedBeforeReload);

    // The API is back: the next retry sends everything, in one merged span.
    await page.context().unroute('**/api/activities/*/progress');
    await page.clock.fastForward(20_000);
    await retrying.waitFor({ state: 'hidden' });
    const recovered = await recorded();
    expect(recovered.intervals).toHaveLength(1);
    expect(recovered.intervals[0][0]).toBe(0);
    expect(recovered.watchedSeconds).toBeGreaterThanOrEqual(Math.floor(watchedBeforeReload));
    expect(recovered.watchedSeconds).toBeLessThanOrEqual(Math.ceil(watchedBeforeReload) + 1);
    await progress.getByText(`${Math.round(recovered.watchedSeconds)} / 40 秒`).waitFor();

    // From here no page timer fires: only hiding or leaving the page can send what is played.
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    await player(page).evaluate((video: VideoElement, at: number) => (video.currentTime = at), recovered.watchedSeconds);
    // The learner switches to another app while the video plays: the span goes out at once.
    const beforeHide = await playUntil(page, recovered.watchedSeconds + 4);
    await page.evaluate(visibility('hidden'));
    const afterHide = await recordedAtLeast(Math.floor(beforeHide));
    expect(afterHide.watchedSeconds).toBeGreaterThanOrEqual(Math.floor(beforeHide));
    await page.evaluate(visibility('visible'));

    // And leaves the page while it plays: the last span goes out with the page (keepalive).
    const beforeLeaving = await playUntil(page, afterHide.watchedSeconds + 4);
    await page.goto('about:blank');
    const afterLeaving = await recordedAtLeast(Math.floor(beforeLeaving));
    expect(afterLeaving.watchedSeconds).toBeGreaterThanOrEqual(Math.floor(beforeLeaving));
    expect(afterLeaving.intervals).toHaveLength(1);
    // Nothing counted twice, nothing counted that was not played.
    expect(afterLeaving.watchedSeconds).toBeLessThanOrEqual(Math.ceil(beforeLeaving) + 1);
  }, JOURNEY_MS);
});
