import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ActivityProgress } from '../../src/progress/activity-progress.entity';
import { REDIS } from '../../src/redis/redis';
import { VideoFlushService } from '../../src/videos/video-flush.service';
import { VideoProgress } from '../../src/videos/video-progress.entity';
import { VideoFile } from '../../src/videos/video-file.entity';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { multipartFile } from '../support/multipart';
import { startApiProcess } from '../support/processes';
import { SampleFormat, sampleVideo } from '../support/sample-videos';
import { createTestApp, TestApp } from '../support/test-app';

// Real videos made by ffmpeg as the tests run (test pattern and a tone): H.264/AAC in MP4, VP9/Opus in WebM.
const TEN_SECONDS_MP4 = sampleVideo(10, 'mp4').bytes;
const TWENTY_SECONDS_MP4 = sampleVideo(20, 'mp4').bytes;
const SIX_SECONDS_WEBM = sampleVideo(6, 'webm').bytes;

describe('video lessons: upload, playback, honest watching (e2e)', () => {
  let t: TestApp;
  let redis: Redis;
  let adminToken: string;
  let courseId: string;
  let sectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    redis = t.app.get(REDIS);
    adminToken = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    courseId = (await t.post('/api/courses', { title: `视频课${uniq()}`, startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 60 * 86400e3).toISOString() }, adminToken)).json().id;
    sectionId = (await t.post(`/api/courses/${courseId}/sections`, { title: '第一单元' }, adminToken)).json().id;
  });
  afterAll(() => t.close());

  const upload = (activityId: string, content: Buffer, filename: string, token = adminToken) =>
    t.request({ method: 'POST', url: `/api/activities/${activityId}/video`, token, ...multipartFile('file', filename, content, 'video/mp4') });

  /** A published video lesson with the ten-second file and one enrolled secretary. */
  async function lesson(completionPercent = 90) {
    const activity = await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: `视频${uniq()}`, creditHours: 1, durationSeconds: 999, completionPercent }, adminToken);
    expect(activity.statusCode).toBe(201);
    const id = activity.json().id as string;
    expect((await upload(id, TEN_SECONDS_MP4, 'lesson.mp4')).statusCode).toBe(200);
    expect((await t.post(`/api/courses/${courseId}/publish`, {}, adminToken)).statusCode).toBe(200);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secretary.id] }, adminToken);
    return { id, secretary, token: await t.login(secretary.username) };
  }

  /**
   * Pretends `seconds` of real time passed since the learner's last report and since the lesson's playback
   * started (the server uses Redis TIME).
   */
  async function elapse(id: string, userId: string, seconds: number) {
    const [at, budgetAt] = await redis.hmget(`vl:${userId}`, 'at', 'bt');
    if (at) await redis.hset(`vl:${userId}`, 'at', String(Number(at) - seconds * 1000));
    if (budgetAt) await redis.hset(`vl:${userId}`, 'bt', String(Number(budgetAt) - seconds * 1000));
    const started = await redis.hget(`vp:${id}:${userId}`, 't');
    if (started) await redis.hset(`vp:${id}:${userId}`, 't', String(Number(started) - seconds * 1000));
  }
  const report = (id: string, token: string, from: number, to: number, deviceId = 'tab-1') =>
    t.post(`/api/activities/${id}/progress`, { from, to, deviceId }, token);
  /** The player's play event: watching counts from a playback start the server saw. */
  async function play(id: string, token: string) {
    const response = await t.post(`/api/activities/${id}/play`, {}, token);
    expect(response.statusCode === 200 ? 200 : response.body).toBe(200);
    return new Date(response.json().startedAt as string);
  }

  it('takes an MP4 or WebM upload, reads its real duration, and sets the lesson’s length from it', async () => {
    const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: '上传', creditHours: 1, durationSeconds: 999 }, adminToken)).json();
    const response = await upload(activity.id, TEN_SECONDS_MP4, '第一讲.mp4');
    expect(response.statusCode === 200 ? 200 : response.body).toBe(200);
    expect(response.json()).toMatchObject({ video: { mimeType: 'video/mp4', sizeBytes: TEN_SECONDS_MP4.length, originalName: '第一讲.mp4' }, replacement: null });
    expect(response.json().video.durationSeconds).toBeCloseTo(10, 0);
    expect((await t.get(`/api/activities/${activity.id}`, adminToken)).json().settings.durationSeconds).toBe(10);

    const webm = await upload(activity.id, SIX_SECONDS_WEBM, 'clip.webm');
    expect(webm.statusCode === 200 ? 200 : webm.body).toBe(200);
    expect(webm.json()).toMatchObject({ video: { mimeType: 'video/webm' }, replacement: { progressKept: false } });
    expect(webm.json().replacement.note).toContain('时长不同');
  });

  it('measures every kind of file phones and recorders write, with or without audio, through the upload', async () => {
    const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: '各种格式', creditHours: 1, durationSeconds: 999 }, adminToken)).json();
    const formats: [SampleFormat, string][] = [
      ['mp4-video-only', 'video/mp4'], // a screen recording or slides without a voice
      ['mp4-moov-at-end', 'video/mp4'], // as phones write it
      ['mp4-fragmented', 'video/mp4'],
      ['mov', 'video/mp4'], // an iPhone's QuickTime file, served as MP4 for browsers
      ['webm-video-only', 'video/webm'],
      ['webm-live', 'video/webm'], // a browser's MediaRecorder: no Duration element
    ];
    for (const [format, mimeType] of formats) {
      const sample = sampleVideo(8, format);
      const response = await upload(activity.id, sample.bytes, sample.name);
      expect([format, response.statusCode === 200 ? 200 : response.body]).toEqual([format, 200]);
      expect([format, response.json().video.mimeType]).toEqual([format, mimeType]);
      const stored = await t.dataSource.getRepository(VideoFile).findOneByOrFail({ activityId: activity.id });
      expect([format, Math.abs(stored.durationSeconds - 8) <= 0.1]).toEqual([format, true]);
      expect((await t.get(`/api/activities/${activity.id}`, adminToken)).json().settings.durationSeconds).toBe(8);
      // What was stored is what plays back.
      expect((await t.request({ method: 'GET', url: `/api/activities/${activity.id}/video`, token: adminToken })).rawPayload.equals(sample.bytes)).toBe(true);
    }
  });

  it('refuses non-video bytes however they are named, and leaves nothing behind', async () => {
    const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: '伪装', required: false, creditHours: 1, durationSeconds: 60 }, adminToken)).json();
    const fake = await upload(activity.id, Buffer.from('%PDF-1.4 this is not a video at all'.repeat(20)), 'lecture.mp4');
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe('NOT_A_PLAYABLE_VIDEO');
    const truncated = await upload(activity.id, TEN_SECONDS_MP4.subarray(0, 2000), 'cut.mp4');
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().code).toBe('VIDEO_UNREADABLE');
    expect(await t.dataSource.getRepository(VideoFile).countBy({ activityId: activity.id })).toBe(0);
    const notVideoActivity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'discussion', sectionId, title: '讨论', creditHours: 1, prompt: '谈谈' }, adminToken)).json();
    expect((await upload(notVideoActivity.id, TEN_SECONDS_MP4, 'a.mp4')).statusCode).toBe(400);
    const secretaryToken = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    expect((await upload(activity.id, TEN_SECONDS_MP4, 'a.mp4', secretaryToken)).statusCode).toBe(403);
  });

  it('takes two uploads to one lesson at the same moment: both answer 200, the later replaces the earlier, one file is kept', async () => {
    const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: '同时上传', required: false, creditHours: 1, durationSeconds: 60 }, adminToken)).json();
    const answers = await Promise.all([upload(activity.id, TEN_SECONDS_MP4, 'a.mp4'), upload(activity.id, TWENTY_SECONDS_MP4, 'b.mp4')]);
    expect(answers.map((a) => (a.statusCode === 200 ? 200 : a.body))).toEqual([200, 200]);
    const rows = await t.dataSource.getRepository(VideoFile).findBy({ activityId: activity.id });
    expect(rows).toHaveLength(1);
    // The replaced file was deleted: only the kept one is left in storage.
    expect(readdirSync(join(process.env.STORAGE_DIR!, 'videos', activity.id))).toEqual([rows[0].storageKey.split('/').pop()]);
  });

  it('streams with HTTP Range and a signed URL that works without a token until it expires', async () => {
    const { id, token } = await lesson();
    const whole = await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(TEN_SECONDS_MP4)).toBe(true);
    const part = await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token, headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${TEN_SECONDS_MP4.length}`);
    expect(part.rawPayload.equals(TEN_SECONDS_MP4.subarray(100, 200))).toBe(true);
    const tail = await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token, headers: { range: 'bytes=-50' } });
    expect(tail.rawPayload.equals(TEN_SECONDS_MP4.subarray(TEN_SECONDS_MP4.length - 50))).toBe(true);
    const beyond = await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token, headers: { range: `bytes=${TEN_SECONDS_MP4.length + 10}-` } });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${TEN_SECONDS_MP4.length}`);

    const signed = await t.get(`/api/activities/${id}/video-url`, token);
    const url = signed.json().url as string;
    const viaUrl = await t.request({ method: 'GET', url, headers: { range: 'bytes=0-9' } });
    expect(viaUrl.statusCode).toBe(206);
    expect(viaUrl.rawPayload.equals(TEN_SECONDS_MP4.subarray(0, 10))).toBe(true);
    expect((await t.request({ method: 'GET', url: url.replace(/s=[^&]+/, 's=forged') })).statusCode).toBe(404);
    const expired = url.replace(/e=\d+/, `e=${Math.floor(Date.now() / 1000) - 5}`);
    expect((await t.request({ method: 'GET', url: expired })).statusCode).toBe(404);

    const stranger = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    expect((await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token: stranger })).statusCode).toBe(404);
    expect((await t.get(`/api/activities/${id}/video-url`, stranger)).statusCode).toBe(404);
  });

  it('completes honest watching, and resumes where the learner stopped', async () => {
    const { id, secretary, token } = await lesson();
    await play(id, token);
    await elapse(id, secretary.id, 4);
    const first = await report(id, token, 0, 4);
    const duration = first.json().durationSeconds as number; // the file's own length, about 10.02 s
    expect(first.json()).toMatchObject({ accepted: true, watchedSeconds: 4, percent: Math.floor((4 / duration) * 100), completed: false, position: 4 });
    expect((await t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: secretary.id })).state).toBe('in_progress');
    await elapse(id, secretary.id, 4);
    expect((await report(id, token, 4, 8)).json()).toMatchObject({ accepted: true, watchedSeconds: 8, completed: false });
    expect((await t.get(`/api/activities/${id}/watch`, token)).json()).toMatchObject({ position: 8, intervals: [[0, 8]] });
    await elapse(id, secretary.id, 2);
    const done = await report(id, token, 8, 10);
    expect(done.json()).toMatchObject({ accepted: true, watchedSeconds: 10, completed: true });
    const state = await t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: secretary.id });
    expect(state.state).toBe('completed');
    // Reporting the same span again (a retry) changes nothing.
    expect((await report(id, token, 8, 10)).json()).toMatchObject({ accepted: true, watchedSeconds: 10 });
  });

  describe('watching counts from a playback start the server saw', () => {
    /** A published six-second lesson (the example) with one enrolled secretary. */
    async function sixSecondLesson() {
      const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: `微课${uniq()}`, creditHours: 1, durationSeconds: 6 }, adminToken)).json();
      expect((await upload(activity.id as string, SIX_SECONDS_WEBM, '微课.webm')).statusCode).toBe(200);
      expect((await t.post(`/api/courses/${courseId}/publish`, {}, adminToken)).statusCode).toBe(200);
      const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
      await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secretary.id] }, adminToken);
      return { id: activity.id as string, secretary, token: await t.login(secretary.username) };
    }
    const stateOf = (id: string, userId: string) => t.dataSource.getRepository(ActivityProgress).findOneBy({ activityId: id, userId });

    it('refuses the whole lesson claimed in one report when the video was never fetched', async () => {
      const { id, secretary, token } = await sixSecondLesson();
      const claim = await report(id, token, 0, 6);
      expect(claim.statusCode).toBe(409);
      expect(claim.json()).toMatchObject({ code: 'PLAYBACK_NOT_STARTED', message: expect.stringContaining('播放') });
      expect((await t.get(`/api/activities/${id}/watch`, token)).json()).toMatchObject({ watchedSeconds: 0, completed: false });
      expect(await stateOf(id, secretary.id)).toBeNull();

      // A learner with time in hand from earlier watching (an idle budget) gets nothing more without a start.
      await redis.hset(`vl:${secretary.id}`, 'b', '242', 'bt', String(Date.now()));
      expect((await report(id, token, 0, 6)).json().code).toBe('PLAYBACK_NOT_STARTED');
    });

    it('counts no faster than real time since the stream was fetched, whatever the learner had banked', async () => {
      const { id, secretary, token } = await sixSecondLesson();
      await redis.hset(`vl:${secretary.id}`, 'b', '242', 'bt', String(Date.now()));
      expect((await t.request({ method: 'GET', url: `/api/activities/${id}/video`, token, headers: { range: 'bytes=0-1023' } })).statusCode).toBe(206);
      // Right after the fetch only the slack counts: the rest of the claim is cut off, not completed.
      const claim = (await report(id, token, 0, 6)).json();
      expect(claim).toMatchObject({ accepted: true, reason: 'too_fast', watchedSeconds: 2, position: 2, completed: false });
      expect(claim.percent).toBeLessThan(50);
      expect((await stateOf(id, secretary.id))?.state).toBe('in_progress');
    });

    it('completes a learner who fetched the stream through the signed URL and reports in real time', async () => {
      const { id, secretary, token } = await sixSecondLesson();
      const url = (await t.get(`/api/activities/${id}/video-url`, token)).json().url as string;
      expect((await t.request({ method: 'GET', url, headers: { range: 'bytes=0-' } })).statusCode).toBe(206);
      // Real time, at 1×: three seconds of video after three seconds, then the rest.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect((await report(id, token, 0, 3)).json()).toMatchObject({ accepted: true, reason: null, watchedSeconds: 3, completed: false });
      // A Range request in mid-playback does not move the start.
      expect((await t.request({ method: 'GET', url, headers: { range: 'bytes=2000-' } })).statusCode).toBe(206);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect((await report(id, token, 3, 6)).json()).toMatchObject({ accepted: true, reason: null, completed: true });
      expect((await stateOf(id, secretary.id))?.state).toBe('completed');
    });

    it('takes the player’s play event, keeps the start of a playback going on, and only from its learners', async () => {
      const { id, secretary, token } = await sixSecondLesson();
      const started = await play(id, token);
      expect(Math.abs(started.getTime() - Date.now())).toBeLessThan(5000);
      expect((await play(id, token)).getTime()).toBe(started.getTime());
      await elapse(id, secretary.id, 3);
      expect((await report(id, token, 0, 6)).json()).toMatchObject({ accepted: true, reason: null, watchedSeconds: 6, completed: true });

      const stranger = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
      expect((await t.post(`/api/activities/${id}/play`, {}, stranger)).statusCode).toBe(404);
      expect((await t.post(`/api/activities/${id}/play`, {}, adminToken)).statusCode).toBe(403);
    });
  });

  it('does not complete when the learner seeks to the end, and counts 2× speed but not 10×', async () => {
    const { id, secretary, token } = await lesson(100);
    await play(id, token);
    await elapse(id, secretary.id, 1);
    await report(id, token, 0, 1);
    // Jumping to the end right away: nine seconds of video in no real time. Only the slack counts.
    const seek = await report(id, token, 1, 10);
    expect(seek.json()).toMatchObject({ accepted: true, reason: 'too_fast', watchedSeconds: 3, position: 3, completed: false });
    await elapse(id, secretary.id, 1);
    expect((await report(id, token, 3, 5)).json()).toMatchObject({ accepted: true, reason: null, watchedSeconds: 5 }); // 2 s of video in 1 s: 2×
    await elapse(id, secretary.id, 0.5);
    // 10×: five seconds of video in half a second; what real time allows (one second at 2×) counts.
    expect((await report(id, token, 5, 10)).json()).toMatchObject({ accepted: true, reason: 'too_fast', watchedSeconds: 6 });
    expect((await report(id, token, 6, 10)).json()).toMatchObject({ accepted: false, reason: 'too_fast', watchedSeconds: 6 });
    await elapse(id, secretary.id, 2);
    expect((await report(id, token, 6, 10)).json()).toMatchObject({ accepted: true, reason: null, watchedSeconds: 10, completed: true });
  });

  it('refuses a second device while the first is playing, and clips spans outside the video', async () => {
    const { id, secretary, token } = await lesson();
    await play(id, token);
    await elapse(id, secretary.id, 3);
    await report(id, token, 0, 3, 'phone');
    const laptop = await report(id, token, 3, 6, 'laptop');
    expect(laptop.statusCode).toBe(409);
    expect(laptop.json().code).toBe('OTHER_DEVICE_PLAYING');
    await elapse(id, secretary.id, 3);
    expect((await report(id, token, 3, 6, 'phone')).json()).toMatchObject({ accepted: true, watchedSeconds: 6 });
    // The first device went quiet long ago: the second may take over.
    await elapse(id, secretary.id, 60);
    expect((await report(id, token, 6, 8, 'laptop')).json()).toMatchObject({ accepted: true, watchedSeconds: 8 });
    await elapse(id, secretary.id, 5);
    expect((await report(id, token, 8, 500, 'laptop')).json()).toMatchObject({ accepted: true, watchedSeconds: 10, position: 10 });
    expect((await report(id, token, 50, 60, 'laptop')).json()).toMatchObject({ accepted: false, reason: 'outside' });
  });

  it('answers bad reports with 400 and strangers with 404', async () => {
    const { id, token } = await lesson();
    expect((await t.post(`/api/activities/${id}/progress`, { from: 5, to: 2 }, token)).json()).toMatchObject({ code: 'SPAN_REVERSED', errors: [{ field: 'to', rule: 'after', params: { field: 'from' } }] });
    expect((await t.post(`/api/activities/${id}/progress`, { from: -1, to: 2 }, token)).statusCode).toBe(400);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 'a', to: 2 }, token)).statusCode).toBe(400);
    // Checked by the route's JSON schema: the answer has the same shape as every other 400, names the field,
    // takes no "5" for 5 and drops no unknown property silently.
    const negative = await t.post(`/api/activities/${id}/progress`, { from: -1, to: 2 }, token);
    expect(negative.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: ['起点不能小于 0'],
      errors: [{ field: 'from', rule: 'min', params: { min: 0 }, message: '起点不能小于 0' }],
    });
    expect((await t.post(`/api/activities/${id}/progress`, { from: '1', to: 2 }, token)).statusCode).toBe(400);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 1 }, token)).json().errors).toEqual([{ field: 'to', rule: 'required', message: '请填写终点' }]);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 1, to: 2, seconds: 99 }, token)).json().errors).toEqual([{ field: 'seconds', rule: 'unknownField', message: '不接受字段 seconds' }]);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 1, to: 2, seconds: 99 }, token)).statusCode).toBe(400);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 1, to: 2, deviceId: '<script>' }, token)).statusCode).toBe(400);
    expect((await t.get(`/api/activities/${id}/watch`, token)).json().watchedSeconds).toBe(0);
    const stranger = await t.login((await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) })).username);
    expect((await t.post(`/api/activities/${id}/progress`, { from: 0, to: 2 }, stranger)).statusCode).toBe(404);
  });

  it('stops taking reports at once when the learner is withdrawn or the course closes, though both had reported', async () => {
    // A course of its own: closing it must not touch the other tests' course.
    const period = { startsAt: new Date(Date.now() - 86400e3).toISOString(), endsAt: new Date(Date.now() + 30 * 86400e3).toISOString() };
    const course = (await t.post('/api/courses', { title: `结业前${uniq()}`, ...period }, adminToken)).json();
    const section = (await t.post(`/api/courses/${course.id}/sections`, { title: '一' }, adminToken)).json();
    const activity = (await t.post(`/api/courses/${course.id}/activities`, { type: 'video', sectionId: section.id, title: '视频', creditHours: 1, durationSeconds: 60 }, adminToken)).json();
    expect((await upload(activity.id, TEN_SECONDS_MP4, 'lesson.mp4')).statusCode).toBe(200);
    expect((await t.post(`/api/courses/${course.id}/publish`, {}, adminToken)).statusCode).toBe(200);
    const branch = await makeBranch(t.dataSource, await makeUnit(t.dataSource));
    const [leaving, staying] = [await makeUser(t.dataSource, { branch }), await makeUser(t.dataSource, { branch })];
    await t.post(`/api/courses/${course.id}/enrollments`, { userIds: [leaving.id, staying.id] }, adminToken);
    const tokens = { leaving: await t.login(leaving.username), staying: await t.login(staying.username) };
    // Both have reported, so the hot path holds a checked context for each.
    await play(activity.id, tokens.leaving);
    await play(activity.id, tokens.staying);
    await elapse(activity.id, leaving.id, 2);
    await elapse(activity.id, staying.id, 2);
    expect((await report(activity.id, tokens.leaving, 0, 2)).json().accepted).toBe(true);
    expect((await report(activity.id, tokens.staying, 0, 2)).json().accepted).toBe(true);

    expect((await t.delete(`/api/courses/${course.id}/enrollments/${leaving.id}`, adminToken)).statusCode).toBe(204);
    await elapse(activity.id, leaving.id, 3);
    const afterWithdrawal = await report(activity.id, tokens.leaving, 2, 4);
    expect(afterWithdrawal.statusCode).toBe(403);
    expect(afterWithdrawal.json().code).toBe('NOT_ENROLLED');
    await elapse(activity.id, staying.id, 3);
    expect((await report(activity.id, tokens.staying, 2, 4)).json()).toMatchObject({ accepted: true, watchedSeconds: 4 });

    expect((await t.post(`/api/courses/${course.id}/close`, {}, adminToken)).statusCode).toBe(200);
    await elapse(activity.id, staying.id, 3);
    const afterClosing = await report(activity.id, tokens.staying, 4, 6);
    expect(afterClosing.statusCode).toBe(409);
    expect(afterClosing.json().code).toBe('COURSE_CLOSED');
    // Nothing after the closing was added to what the learner had watched.
    expect(await redis.hget(`vw:${activity.id}:${staying.id}`, 'iv')).toBe('[[0,4]]');
  });

  it('applies an edit of the lesson (its completion percent) from the next report on', async () => {
    const { id, secretary, token } = await lesson(90);
    await play(id, token);
    await elapse(id, secretary.id, 4);
    expect((await report(id, token, 0, 4)).json()).toMatchObject({ accepted: true, watchedSeconds: 4, completed: false });
    expect((await t.patch(`/api/activities/${id}`, { completionPercent: 40 }, adminToken)).statusCode).toBe(200);
    await elapse(id, secretary.id, 2);
    // 5 of the 10 seconds: done under the new 40 %, though the old 90 % was cached when the learner began.
    expect((await report(id, token, 4, 5)).json()).toMatchObject({ accepted: true, watchedSeconds: 5, completed: true });
  });

  it('flushes watched intervals to MySQL in batches, idempotently, and rebuilds Redis from MySQL after a loss', async () => {
    const { id, secretary, token } = await lesson();
    await play(id, token);
    await elapse(id, secretary.id, 4);
    await report(id, token, 0, 4);
    const flusher = t.app.get(VideoFlushService);
    expect(await flusher.flush()).toBeGreaterThanOrEqual(1);
    const stored = await t.dataSource.getRepository(VideoProgress).findOneByOrFail({ activityId: id, userId: secretary.id });
    expect(stored).toMatchObject({ watchedSeconds: 4, positionSeconds: 4, intervals: '[[0,4]]' });
    const duration = (await t.dataSource.getRepository(VideoFile).findOneByOrFail({ activityId: id })).durationSeconds;
    expect((await t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: secretary.id })).percent).toBe(Math.floor((4 / duration) * 100));
    expect(await flusher.flush()).toBe(0);

    // Redis loses everything about this learner (a restart without persistence): MySQL's copy comes back.
    await redis.del(`vw:${id}:${secretary.id}`, `vw:ctx:${id}:${secretary.id}`, `vl:${secretary.id}`, `vp:${id}:${secretary.id}`);
    expect((await report(id, token, 4, 6)).json().code).toBe('PLAYBACK_NOT_STARTED');
    await play(id, token);
    await elapse(id, secretary.id, 2);
    expect((await report(id, token, 4, 6)).json()).toMatchObject({ accepted: true, watchedSeconds: 6 });
    await flusher.flush();
    expect((await t.dataSource.getRepository(VideoProgress).findOneByOrFail({ activityId: id, userId: secretary.id })).intervals).toBe('[[0,6]]');
  });

  it('keeps progress when a video is replaced by one of the same length, and says what happens otherwise', async () => {
    const { id, secretary, token } = await lesson();
    await play(id, token);
    await elapse(id, secretary.id, 4);
    await report(id, token, 0, 4);
    const same = await upload(id, TEN_SECONDS_MP4, 'again.mp4');
    expect(same.json().replacement).toMatchObject({ progressKept: true });
    expect((await t.get(`/api/activities/${id}/watch`, token)).json()).toMatchObject({ watchedSeconds: 4, durationSeconds: expect.closeTo(10, 0) });
    const longer = await upload(id, TWENTY_SECONDS_MP4, 'longer.mp4');
    expect(longer.json().replacement).toMatchObject({ progressKept: false });
    const after = (await t.get(`/api/activities/${id}/watch`, token)).json();
    expect(after.watchedSeconds).toBe(4);
    expect(after.percent).toBe(Math.floor((4 / after.durationSeconds) * 100));
    expect(after.durationSeconds).toBeCloseTo(20, 0);
    expect(await t.dataSource.getRepository(ActivityProgress).findOneByOrFail({ activityId: id, userId: secretary.id })).toMatchObject({ state: 'in_progress' });
  });

  it('counts watching past a checkpoint only once its question is answered, and never shows the answer', async () => {
    const activity = await t.post(
      `/api/courses/${courseId}/activities`,
      {
        type: 'video', sectionId, title: `检查点${uniq()}`, creditHours: 1, durationSeconds: 10,
        checkpoints: [{ atSeconds: 4, prompt: '支部书记是支部工作的第几责任人？', options: ['第一', '第二'], answer: 0 }],
      },
      adminToken,
    );
    expect(activity.statusCode).toBe(201);
    const id = activity.json().id as string;
    await upload(id, TEN_SECONDS_MP4, 'cp.mp4');
    await t.post(`/api/courses/${courseId}/publish`, {}, adminToken);
    const secretary = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)) });
    await t.post(`/api/courses/${courseId}/enrollments`, { userIds: [secretary.id] }, adminToken);
    const token = await t.login(secretary.username);
    expect(JSON.stringify((await t.get(`/api/activities/${id}`, token)).json())).not.toContain('"answer"');

    await play(id, token);
    await elapse(id, secretary.id, 6);
    const first = (await report(id, token, 0, 6)).json();
    expect(first).toMatchObject({ accepted: true, watchedSeconds: 4, checkpoint: { index: 0, atSeconds: 4, options: ['第一', '第二'] } });
    expect(first.checkpoint.answer).toBeUndefined();
    await elapse(id, secretary.id, 3);
    expect((await report(id, token, 4, 7)).json()).toMatchObject({ accepted: false, reason: 'checkpoint', watchedSeconds: 4 });
    expect((await t.post(`/api/activities/${id}/checkpoints/0`, { answer: 1 }, token)).json()).toEqual({ correct: false });
    expect((await t.post(`/api/activities/${id}/checkpoints/0`, { answer: 0 }, token)).json()).toEqual({ correct: true });
    expect((await report(id, token, 4, 7)).json()).toMatchObject({ accepted: true, watchedSeconds: 7, checkpoint: null });
    expect((await t.post(`/api/activities/${id}/checkpoints/5`, { answer: 0 }, token)).statusCode).toBe(404);

    // The answer is kept in MySQL too: after Redis loses the learner's keys, it is not asked again.
    expect((await t.post(`/api/activities/${id}/checkpoints/0`, { answer: 0 }, token)).json()).toEqual({ correct: true });
    await t.app.get(VideoFlushService).flush();
    await redis.del(`vw:${id}:${secretary.id}`, `vw:ctx:${id}:${secretary.id}`, `vl:${secretary.id}`, `vp:${id}:${secretary.id}`);
    await play(id, token);
    await elapse(id, secretary.id, 2);
    expect((await report(id, token, 7, 9)).json()).toMatchObject({ accepted: true, watchedSeconds: 9, checkpoint: null });
  });

  it('loses no answered report when an API process is killed with kill -9, and a retried report counts once', async () => {
    const { id, secretary, token } = await lesson();
    const api = await startApiProcess();
    try {
      const post = (from: number, to: number) =>
        fetch(`http://127.0.0.1:${api.port}/api/activities/${id}/progress`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ from, to, deviceId: 'tab-1' }),
        });
      await play(id, token);
      await elapse(id, secretary.id, 4);
      expect((await post(0, 4)).status).toBe(200);
      await elapse(id, secretary.id, 4);
      const answered = await post(4, 8);
      expect(await answered.json()).toMatchObject({ accepted: true, watchedSeconds: 8 });
      // No shutdown, no flush, no chance to write anything more.
      api.child.kill('SIGKILL');
      await new Promise((resolve) => api.child.once('exit', resolve));
    } finally {
      if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
    }

    // Every answered report survives in Redis; the surviving process's flush writes it to MySQL.
    expect((await t.get(`/api/activities/${id}/watch`, token)).json()).toMatchObject({ watchedSeconds: 8, intervals: [[0, 8]] });
    await t.app.get(VideoFlushService).flush();
    const stored = await t.dataSource.getRepository(VideoProgress).findOneByOrFail({ activityId: id, userId: secretary.id });
    expect(stored).toMatchObject({ intervals: '[[0,8]]', watchedSeconds: 8, positionSeconds: 8 });
    // The player retries the last report against the next API process: it is not counted twice.
    expect((await report(id, token, 4, 8)).json()).toMatchObject({ accepted: true, watchedSeconds: 8 });
    await elapse(id, secretary.id, 1);
    expect((await report(id, token, 8, 9)).json()).toMatchObject({ accepted: true, watchedSeconds: 9 });
  }, 120_000); // starting a second Node process that compiles the app takes a while on a busy machine

  it('leaves nothing in storage when an upload is refused', async () => {
    const activity = (await t.post(`/api/courses/${courseId}/activities`, { type: 'video', sectionId, title: '残缺', creditHours: 1, durationSeconds: 60 }, adminToken)).json();
    // The storage folder outlives test databases (ids repeat across runs): compare before and after.
    const dir = join(process.env.STORAGE_DIR!, 'videos', activity.id);
    const stored = () => (existsSync(dir) ? readdirSync(dir) : []);
    const before = stored();
    expect((await upload(activity.id, TEN_SECONDS_MP4.subarray(0, 5000), 'cut.mp4')).statusCode).toBe(400);
    expect((await upload(activity.id, Buffer.from('not a video'), 'x.webm')).statusCode).toBe(415);
    expect(stored()).toEqual(before);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('bst-upload-'))).toEqual([]);
    expect(await t.dataSource.getRepository(VideoFile).countBy({ activityId: activity.id })).toBe(0);
  });

  it('does not let a burst of tiny reports add more than real time allows', async () => {
    const { id, secretary, token } = await lesson();
    await play(id, token);
    await elapse(id, secretary.id, 1);
    await report(id, token, 0, 1);
    let watched = 0;
    for (let from = 1; from < 9; from += 1) watched = (await report(id, token, from, from + 0.9)).json().watchedSeconds;
    expect(watched).toBeLessThanOrEqual(4);
  });
});
