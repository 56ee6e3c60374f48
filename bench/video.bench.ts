import { JwtService } from '@nestjs/jwt';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from '../src/app.setup';
import { REDIS } from '../src/redis/redis';
import { VideoFlushService } from '../src/videos/video-flush.service';
import { WATCH_SCRIPT } from '../src/videos/watch-script';
import type { BenchResult } from './run';
import { benchDatabase, ms } from './support';

const LEARNERS = 1000;
const DURATION = 3600;
const RATE = 1000; // reports per second for the latency run
const RUN_SECONDS = 8;

/**
 * The video progress endpoint (POST /api/activities/:id/progress) over real HTTP, against a bare Fastify +
 * ioredis endpoint running the same Lua script on the same keys with nothing else (no auth, validation, Nest).
 * Then the flush job writing 5,000 learner states against a row-by-row loop of the same upserts.
 */
export async function videoBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('video');
  const app = await createApp(config);
  const bare = Fastify();
  try {
    // A course with one video lesson and LEARNERS enrolled secretaries, written in bulk.
    const { insertId: unitId } = await dataSource.query(`INSERT INTO units (name, code) VALUES ('基准学院', 'BENCH')`);
    const branch = await dataSource.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, '基准支部', 'BENCH-B', 'staff')`, [unitId]);
    const values = Array.from({ length: LEARNERS }, (_, i) => `('b${i}', '学员${i}', 'secretary', ${branch.insertId}, ${unitId}, 'x')`);
    await dataSource.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ${values.join(', ')}`);
    const users: { id: string }[] = await dataSource.query(`SELECT id FROM users WHERE username LIKE 'b%' ORDER BY id`);
    const course = await dataSource.query(
      `INSERT INTO courses (title, starts_at, ends_at, status) VALUES ('基准培训班', NOW() - INTERVAL 1 DAY, NOW() + INTERVAL 30 DAY, 'published')`,
    );
    const section = await dataSource.query(`INSERT INTO sections (course_id, title) VALUES (?, '一')`, [course.insertId]);
    const activity = await dataSource.query(
      `INSERT INTO activities (course_id, section_id, type, title, credit_hours, settings) VALUES (?, ?, 'video', '基准视频', 1, ?)`,
      [course.insertId, section.insertId, JSON.stringify({ durationSeconds: DURATION, completionPercent: 90 })],
    );
    const activityId = String(activity.insertId);
    // Four more lessons so the flush has 5,000 distinct learner states to write.
    const flushActivities = [activityId];
    for (let n = 2; n <= 5; n++) {
      const extra = await dataSource.query(
        `INSERT INTO activities (course_id, section_id, type, title, credit_hours, settings) VALUES (?, ?, 'video', ?, 1, ?)`,
        [course.insertId, section.insertId, `基准视频${n}`, JSON.stringify({ durationSeconds: DURATION, completionPercent: 90 })],
      );
      flushActivities.push(String(extra.insertId));
    }
    await dataSource.query(
      `INSERT INTO enrollments (course_id, user_id, source, enrolled_at) SELECT ?, id, 'user', NOW(3) FROM users WHERE username LIKE 'b%'`,
      [course.insertId],
    );
    await dataSource.query(`INSERT INTO course_progress (course_id, user_id, required_total) SELECT ?, id, 1 FROM users WHERE username LIKE 'b%'`, [
      course.insertId,
    ]);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const jwt = app.get(JwtService);
    // Signed as login signs them (with an expiry).
    const tokens = await Promise.all(users.map((u) => jwt.signAsync({ sub: String(u.id), ver: 0 }, { expiresIn: config.auth.jwtExpiresInSeconds })));
    const redis = app.get<Redis>(REDIS);

    // Warm up: each learner starts playing (the play event), then one accepted report (the engine hears of each
    // learner's first seconds once).
    await pool(LEARNERS, 50, (i) => post(`http://127.0.0.1:${port}/api/activities/${activityId}/play`, tokens[i], {}));
    await pool(LEARNERS, 50, (i) => post(`http://127.0.0.1:${port}/api/activities/${activityId}/progress`, tokens[i], { from: 0, to: 5, deviceId: 'bench' }));

    // The bare endpoint: same script, same key shapes, same arguments; each learner's playback started, as the
    // real learners' play events started theirs.
    const bareRedis = new Redis(config.redis.url, { keyPrefix: `${config.redis.prefix}-bare:` });
    bareRedis.defineCommand('watchReport', { numberOfKeys: 5, lua: WATCH_SCRIPT });
    await bareRedis.set(`vw:ctx:bare`, JSON.stringify({ courseId: '0', duration: DURATION, threshold: DURATION * 0.9 }));
    const started = bareRedis.pipeline();
    for (const u of users) started.hset(`vp:${activityId}:${u.id}`, 't', String(Date.now()), 's', '0').expire(`vp:${activityId}:${u.id}`, 300);
    await started.exec();
    bare.post('/report/:learner', async (request) => {
      const learner = (request.params as { learner: string }).learner;
      const body = request.body as { from: number; to: number };
      return (bareRedis as unknown as { watchReport: (...a: unknown[]) => Promise<unknown> }).watchReport(
        `vw:${activityId}:${learner}`, `vl:${learner}`, 'vw:dirty', 'vw:ctx:bare', `vp:${activityId}:${learner}`, body.from, body.to, 0, 2, 'bench', 45000, 300, 120, 2, `${activityId}:${learner}`, 3600, activityId,
      );
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as AddressInfo).port;

    // Load comes from a separate process, so the client does not compete with the server's event loop.
    const realUrls = users.map(() => `http://127.0.0.1:${port}/api/activities/${activityId}/progress`);
    const bareUrls = users.map((u) => `http://127.0.0.1:${barePort}/report/${u.id}`);
    const load = (urls: string[], withTokens: boolean, mode: 'closed' | 'paced') =>
      runLoad({ mode, urls, tokens: withTokens ? tokens : [], seconds: RUN_SECONDS, concurrency: 64, perSecond: RATE, learners: LEARNERS });
    const realMax = await load(realUrls, true, 'closed');
    const bareMax = await load(bareUrls, false, 'closed');
    const realPaced = await load(realUrls, true, 'paced');
    const barePaced = await load(bareUrls, false, 'paced');

    // Flush: 5,000 dirty learner states (the API's own keys) against a row-by-row loop of the same upserts.
    const flushStates = 5000;
    const pipeline = redis.pipeline();
    for (let i = 0; i < flushStates; i++) {
      const user = users[i % LEARNERS].id;
      const act = flushActivities[Math.floor(i / LEARNERS)];
      pipeline.hset(`vw:${act}:${user}`, 'iv', JSON.stringify([[0, 30 + (i % 60)]]), 'pos', String(30 + (i % 60)));
      pipeline.zadd('vw:dirty', Date.now(), `${act}:${user}`);
    }
    await pipeline.exec();
    const flusher = app.get(VideoFlushService);
    const flushStarted = performance.now();
    const written = await flusher.flush();
    const flushMs = performance.now() - flushStarted;
    const loopStarted = performance.now();
    for (let i = 0; i < written; i++) {
      await dataSource.query(
        `INSERT INTO video_progress (activity_id, user_id, course_id, intervals, watched_seconds, position_seconds) VALUES (?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE intervals = VALUES(intervals), watched_seconds = VALUES(watched_seconds), position_seconds = VALUES(position_seconds)`,
        [flushActivities[Math.floor(i / LEARNERS)], users[i % LEARNERS].id, course.insertId, '[[0,31]]', 31, 31],
      );
      await dataSource.query(`UPDATE activity_progress SET percent = GREATEST(percent, 1) WHERE activity_id = ? AND user_id = ? AND state = 'in_progress'`, [
        flushActivities[Math.floor(i / LEARNERS)],
        users[i % LEARNERS].id,
      ]);
    }
    const loopMs = performance.now() - loopStarted;
    bareRedis.disconnect();

    return {
      name: `video progress reports (${LEARNERS} learners, real HTTP on this machine) and the flush job`,
      rows: [
        { metric: 'max reports/s (64 concurrent)', value: rate(realMax), baseline: `${rate(bareMax)} bare Fastify+ioredis`, target: `≥ ${rate({ ...bareMax, count: bareMax.count / 2 })} (0.5× bare)` },
        { metric: `p50 / p99 at ${RATE} reports/s`, value: `${ms(realPaced.p50)} / ${ms(realPaced.p99)}`, baseline: `${ms(barePaced.p50)} / ${ms(barePaced.p99)}`, target: 'p99 ≤ 50 ms' },
        { metric: `achieved rate in the paced run`, value: rate(realPaced), baseline: rate(barePaced) },
        { metric: 'failed requests (max run / paced run)', value: `${realMax.errors} / ${realPaced.errors}`, baseline: `${bareMax.errors} / ${barePaced.errors}` },
        { metric: `flush of ${written} learner states`, value: `${ms(flushMs)} (${Math.round(written / (flushMs / 1000))}/s)`, baseline: `${ms(loopMs)} row by row (${Math.round(written / (loopMs / 1000))}/s)`, target: '≥ 5× the loop' },
      ],
    };
  } finally {
    await bare.close();
    await app.close();
    await drop();
  }
}

interface Run {
  count: number;
  seconds: number;
  errors: number;
  p50: number;
  p99: number;
}

function rate(run: Pick<Run, 'count' | 'seconds'>): string {
  return `${Math.round(run.count / run.seconds)}/s`;
}

let firstFailure: string | null = null;
/** One request; a network failure counts as an error (status 0) instead of ending the run. */
async function post(url: string, token: string, body: unknown): Promise<number> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    firstFailure ??= String((error as { cause?: unknown }).cause ?? error);
    return 0;
  }
}

async function pool(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await task(next++);
  }));
}

/** As fast as `concurrency` callers can go for `seconds`. */
/** Runs bench/load.js in a child process and returns its figures. */
function runLoad(job: Record<string, unknown>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const run = JSON.parse(out) as Run & { firstError: string | null };
      if (run.firstError) console.warn(`first failed request: ${run.firstError}`);
      resolve(run);
    });
    child.stdin.end(JSON.stringify(job));
  });
}
