import { JwtService } from '@nestjs/jwt';
import { Redis } from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createApp } from '../src/app.setup';
import type { AppConfig } from '../src/config/config';
import { REDIS } from '../src/redis/redis';
import { VideoFlushService } from '../src/videos/video-flush.service';
import type { BenchResult } from './run';
import { benchDatabase, ms } from './support';
import { BARE_PREFIX_SUFFIX, bareKeys } from './video-server';

const LEARNERS = 1000;
const DURATION = 3600;
const CONCURRENCY = 64;
const WARM_UP_SECONDS = 3;
/** Closed-loop rounds, each timing the app and then the bare server (or the other way round). */
const ROUNDS = 6;
const ROUND_SECONDS = 4;
const RATE = 1000; // reports per second for the latency runs
const PACED_ROUNDS = 2;
const PACED_SECONDS = 5;

type Kind = 'app' | 'bare';

/**
 * The video progress endpoint (POST /api/activities/:id/progress) over real HTTP, against a bare Fastify +
 * ioredis endpoint running the same Lua script on the same keys with nothing else (no auth, validation, Nest).
 * Each server runs in a child process of its own and a third child sends the load; the two servers are timed
 * in interleaved rounds after the same warm-up, and each one's median is compared.
 * `VIDEO_BENCH_CPU_PROF=<dir>` writes a CPU profile of each server process there.
 * Then the flush job writing 5,000 learner states against a row-by-row loop of the same upserts.
 */
export async function videoBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('video');
  const servers: Server[] = [];
  let app: Awaited<ReturnType<typeof createApp>> | null = null;
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

    const tokens = await signTokens(users, config);
    const keysOf = (learner: string) => bareKeys(activityId, learner);
    const bareRedis = new Redis(config.redis.url, { keyPrefix: `${config.redis.prefix}${BARE_PREFIX_SUFFIX}:` });
    // The bare endpoint's context (the app's own, checked in MySQL, is written by its first reports) and each
    // learner's playback started, as the real learners' play events start theirs.
    await bareRedis.set(keysOf('').context, JSON.stringify({ courseId: String(course.insertId), duration: DURATION, threshold: DURATION * 0.9, checkpoints: [] }));
    const started = bareRedis.pipeline();
    for (const u of users) started.hset(keysOf(u.id).playback, 't', String(Date.now()), 's', '0').expire(keysOf(u.id).playback, 300);
    await started.exec();
    bareRedis.disconnect();

    // Each server in a process of its own, the load generator in a third: no two share an event loop.
    const [appServer, bareServer] = await Promise.all([startServer('app', activityId), startServer('bare', activityId)]);
    servers.push(appServer, bareServer);
    const appUrl = `http://127.0.0.1:${appServer.port}/api/activities/${activityId}`;
    // Each learner starts playing (the play event) and sends a first report, which checks the enrolment in
    // MySQL once and caches it: the bare endpoint's keys were written above instead.
    await pool(LEARNERS, 50, (i) => post(`${appUrl}/play`, tokens[i], {}));
    await pool(LEARNERS, 50, (i) => post(`${appUrl}/progress`, tokens[i], { from: 0, to: 5, deviceId: 'bench' }));

    const targets = {
      app: { urls: users.map(() => `${appUrl}/progress`), tokens },
      bare: { urls: users.map((u) => `http://127.0.0.1:${bareServer.port}/report/${u.id}`), tokens: [] as string[] },
    };
    const load = loadGenerator();
    const closed = (kind: Kind, seconds: number) => load.run({ mode: 'closed', ...targets[kind], seconds, concurrency: CONCURRENCY, perSecond: 0, learners: LEARNERS });
    const paced = (kind: Kind) => load.run({ mode: 'paced', ...targets[kind], seconds: PACED_SECONDS, concurrency: 0, perSecond: RATE, learners: LEARNERS });
    // The same warm-up for both (the JIT, connection pools), not measured.
    await closed('app', WARM_UP_SECONDS);
    await closed('bare', WARM_UP_SECONDS);
    // Interleaved rounds, the order swapped each round (app-bare, bare-app…), so a change of load on the
    // machine falls on both; each one's median is compared.
    const max: Record<Kind, Run[]> = { app: [], bare: [] };
    const pacedRuns: Record<Kind, Run[]> = { app: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 ? (['bare', 'app'] as const) : (['app', 'bare'] as const)) max[kind].push(await closed(kind, ROUND_SECONDS));
    }
    for (let round = 0; round < PACED_ROUNDS; round++) {
      for (const kind of round % 2 ? (['bare', 'app'] as const) : (['app', 'bare'] as const)) pacedRuns[kind].push(await paced(kind));
    }
    load.end();
    const appRate = median(max.app.map(perSecond));
    const bareRate = median(max.bare.map(perSecond));
    const roundRatios = max.app.map((run, i) => perSecond(run) / perSecond(max.bare[i]));
    const errors = (runs: Run[]) => runs.reduce((sum, run) => sum + run.errors, 0);
    await Promise.all(servers.splice(0).map((server) => server.stop()));

    // Flush: 5,000 dirty learner states (the API's own keys) against a row-by-row loop of the same upserts.
    app = await createApp(config);
    const redis = app.get<Redis>(REDIS);
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

    const ratio = appRate / bareRate;
    const latency = (runs: Run[]) => `${ms(median(runs.map((r) => r.p50)))} / ${ms(median(runs.map((r) => r.p99)))}`;
    return {
      name: `video progress reports (${LEARNERS} learners, real HTTP on this machine, each server in its own process) and the flush job`,
      rows: [
        {
          metric: `max reports/s (${CONCURRENCY} concurrent, median of ${ROUNDS} interleaved ${ROUND_SECONDS} s rounds)`,
          value: `${Math.round(appRate)}/s`,
          baseline: `${Math.round(bareRate)}/s bare Fastify+ioredis`,
          target: `≥ 0.6× bare: ${ratio.toFixed(2)}× ${ratio >= 0.6 ? 'met' : 'NOT met'}`,
        },
        { metric: 'each round: real / bare', value: max.app.map((r) => Math.round(perSecond(r))).join(' · '), baseline: max.bare.map((r) => Math.round(perSecond(r))).join(' · '), target: `ratios ${roundRatios.map((r) => r.toFixed(2)).join(' · ')}` },
        { metric: `p50 / p99 at ${RATE} reports/s (median of ${PACED_ROUNDS} runs)`, value: latency(pacedRuns.app), baseline: latency(pacedRuns.bare), target: 'p99 ≤ 50 ms' },
        { metric: 'achieved rate in the paced runs', value: pacedRuns.app.map((r) => `${Math.round(perSecond(r))}/s`).join(' · '), baseline: pacedRuns.bare.map((r) => `${Math.round(perSecond(r))}/s`).join(' · ') },
        { metric: 'failed requests (max runs / paced runs)', value: `${errors(max.app)} / ${errors(pacedRuns.app)}`, baseline: `${errors(max.bare)} / ${errors(pacedRuns.bare)}` },
        { metric: `flush of ${written} learner states`, value: `${ms(flushMs)} (${Math.round(written / (flushMs / 1000))}/s)`, baseline: `${ms(loopMs)} row by row (${Math.round(written / (loopMs / 1000))}/s)`, target: '≥ 5× the loop' },
      ],
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await app?.close();
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

const perSecond = (run: Run) => run.count / run.seconds;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bearer tokens signed as login signs them (HS256, with an expiry). */
function signTokens(users: { id: string }[], config: AppConfig): Promise<string[]> {
  const jwt = new JwtService({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } });
  return Promise.all(users.map((u) => jwt.signAsync({ sub: String(u.id), ver: 0 }, { expiresIn: config.auth.jwtExpiresInSeconds })));
}

interface Server {
  port: number;
  stop: () => Promise<void>;
}

/** Starts bench/video-server.js (the app or the bare endpoint) with this process's environment. */
function startServer(kind: Kind, activityId: string): Promise<Server> {
  const profileDir = process.env.VIDEO_BENCH_CPU_PROF;
  const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${kind}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, join(__dirname, 'video-server.js'), kind, activityId], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port } = JSON.parse(line) as { port: number };
      let stopping: Promise<void> | null = null;
      resolve({ port, stop: () => (stopping ??= (child.stdin!.end(), exited)) });
    });
  });
}

/** bench/load.js in a child process that runs one job at a time for the whole bench. */
function loadGenerator(): { run: (job: Record<string, unknown>) => Promise<Run>; end: () => void } {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'load.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    run: async (job) => {
      child.stdin!.write(JSON.stringify(job) + '\n');
      const { value, done } = await lines.next();
      if (done) throw new Error('the load generator stopped');
      const run = JSON.parse(value as string) as Run & { firstError: string | null };
      if (run.firstError) console.warn(`first failed request: ${run.firstError}`);
      return run;
    },
    end: () => child.stdin!.end(),
  };
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
