import { JwtService } from '@nestjs/jwt';
import { Queue } from 'bullmq';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { DEFAULT_JOB_OPTIONS, JOB_DEFINITIONS } from '../src/jobs/jobs';
import { bullPrefix } from '../src/jobs/queue.module';
import { connectRedis } from '../src/redis/redis';
import { DIRTY_KEY } from '../src/videos/video-watch.service';
import type { BenchResult } from './run';
import { freePort, lineFrom, startCertificateWorker, startNode, stop } from './processes';
import { benchDatabase } from './support';

/** Learners watching the running course's video: BENCH_SCALEOUT_LEARNERS, 2,000 unless told. */
const LEARNERS = Number(process.env.BENCH_SCALEOUT_LEARNERS ?? 2000);
/** How long the learners keep going: BENCH_SCALEOUT_SECONDS, 180 unless told. */
const SECONDS = Number(process.env.BENCH_SCALEOUT_SECONDS ?? 180);
/** Completed learners of the course closed during the run: BENCH_SCALEOUT_CERTIFICATES, 5,000 unless told. */
const CERTIFICATES = Number(process.env.BENCH_SCALEOUT_CERTIFICATES ?? 5000);
const API_PROCESSES = 2;
const WORKER_PROCESSES = 2;
/** Every learner starts within the first 15 s, then reports every 15 s (the web player's interval). */
const STAGGER_SECONDS = 15;
const REPORT_EVERY_SECONDS = 15;
/** Each learner opens a page (home, course or notifications) on average this often. */
const PAGE_EVERY_SECONDS = 60;
/**
 * When, after the learners start, the reminder run is queued and the second course is closed: after every
 * learner has started and reported once, so the same run has a stretch of learners only to compare with.
 */
const REMINDERS_AT_SECONDS = 45;
const CLOSE_AT_SECONDS = 50;
const JWT_SECRET = 'scaleout-bench-secret-not-for-production-0123456789';
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in these

interface Counted {
  child: ChildProcess;
  label: string;
  completed: Map<string, number>;
  rendered: number;
  cpuAtStart: number;
}

interface LoadOutput {
  kinds: string[];
  samples: Array<[number, number, number, number]>;
  failures: Array<{ kind: string; status: number; body: string }>;
  reasons: Record<string, number>;
  watched: number[];
  reported: number[];
  seconds: number;
  cpuSeconds: number;
}

/**
 * Scale-out: API_PROCESSES real API processes (dist/src/main.js, as `npm start`) behind a round-robin proxy
 * (bench/round-robin-proxy.ts) and WORKER_PROCESSES worker processes (WorkerModule, bench/certificate-worker.ts)
 * on one MariaDB, Redis and storage directory. LEARNERS learners (bench/scaleout-load.ts, a process of its own)
 * watch a video, reporting progress every 15 s and opening pages; meanwhile the reminder run of their course
 * is queued as the scheduler queues it (a reminders.course job) and the department closes a second course of
 * CERTIFICATES completed learners through the API, so its certificates compile and render on the workers.
 * Reports throughput and latency by kind of request (beside the same kinds while only the learners ran), every
 * non-2xx answer and socket error, each process's share and CPU time; then checks that every learner's
 * watching reached MySQL, the certificate serials run 1..N, and each reminder went out once.
 */
export async function scaleoutBench(): Promise<BenchResult> {
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-scaleout-'));
  const smtp = await smtpSink();
  const { config, dataSource, drop } = await benchDatabase('scaleout');
  // What every child process gets on top of the database and Redis names benchDatabase set.
  Object.assign(process.env, {
    STORAGE_DIR: storageDir,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    QUIET_HOURS: 'off', // measure sending, not waiting for 07:00
    JWT_SECRET,
    LOG_LEVEL: 'silent',
  });
  const queues = { reminders: queue('reminders', config), certificates: queue('certificates', config) };
  const children: ChildProcess[] = [];
  const rows: BenchResult['rows'] = [];
  const loadBefore = loadavg();
  try {
    const seeded = await seed(dataSource);
    const jwt = new JwtService({ secret: JWT_SECRET });
    // Signed as login signs them ({sub, ver}, with an expiry): no session rows exist, and 2,000 argon2 logins
    // would measure the password hash, not the learners' traffic.
    const sign = (id: string) => jwt.signAsync({ sub: id, ver: 0 }, { expiresIn: config.auth.jwtExpiresInSeconds });
    const tokens = await Promise.all(seeded.learnerIds.map(sign));
    const adminToken = await sign(seeded.adminId);

    const apiPorts = await Promise.all(Array.from({ length: API_PROCESSES }, freePort));
    const apis = await Promise.all(
      apiPorts.map(async (port, i) => {
        const child = startNode(['src', 'main'], [], { PORT: String(port), HOST: '127.0.0.1' });
        children.push(child);
        await lineFrom(child, /API listening/);
        return { child, label: `API ${i + 1} (:${port})` };
      }),
    );
    const workers = await Promise.all(Array.from({ length: WORKER_PROCESSES }, (_, i) => startWorker(`worker ${i + 1}`, children)));
    const proxyChild = startNode(['bench', 'round-robin-proxy'], apiPorts.map(String), {});
    children.push(proxyChild);
    const proxyPort = Number((await lineFrom(proxyChild, /listening (\d+)/))[1]);
    const baseUrl = `http://127.0.0.1:${proxyPort}`;

    const costs = await cpuPerRequest(`http://127.0.0.1:${apiPorts[0]}`, apis[0].child.pid!, tokens, seeded.runningCourseId);

    const cpuAtStart = new Map(children.map((c) => [c.pid!, cpuSeconds(c.pid!)]));
    const ownCpu = process.cpuUsage();
    const loadChild = startNode(['bench', 'scaleout-load'], [], {});
    const loadStarted = Date.now();
    const loadOutput = collect(loadChild);
    loadChild.stdin!.end(
      JSON.stringify({
        baseUrl,
        activityId: seeded.videoId,
        courseId: seeded.runningCourseId,
        tokens,
        seconds: SECONDS,
        staggerSeconds: STAGGER_SECONDS,
        reportEverySeconds: REPORT_EVERY_SECONDS,
        pageEverySeconds: PAGE_EVERY_SECONDS,
        sockets: LEARNERS, // a connection per learner, as each learner's browser holds its own
      }),
    );

    // The reminder run, queued as the hourly scan queues it.
    await sleep(loadStarted + REMINDERS_AT_SECONDS * 1000 - Date.now());
    const remindersQueuedAt = Date.now();
    const run = { courseId: seeded.runningCourseId, at: new Date().toISOString().slice(0, 16) };
    await queues.reminders.add('reminders.course', run, { ...DEFAULT_JOB_OPTIONS, jobId: JOB_DEFINITIONS['reminders.course'].id(run) });

    // The department closes the second course through the API; its certificates compile on the workers.
    await sleep(loadStarted + CLOSE_AT_SECONDS * 1000 - Date.now());
    const closeStarted = performance.now();
    const closing = await fetch(`${baseUrl}/api/courses/${seeded.closingCourseId}/close`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    const closeMs = performance.now() - closeStarted;
    const closeBody = await closing.text();
    if (!closing.ok) throw new Error(`closing the course answered ${closing.status}: ${closeBody}`);
    const batch = await waitForBatch(dataSource, seeded.closingCourseId);

    const load = JSON.parse(await loadOutput) as LoadOutput;
    const loadEnded = loadStarted + load.seconds * 1000;
    const cpu = new Map(children.map((c) => [c.pid!, cpuSeconds(c.pid!) - cpuAtStart.get(c.pid!)!]));
    const benchCpu = process.cpuUsage(ownCpu);

    // Everything the run started has finished: reminders sent, watching flushed to MySQL.
    const deliveries = await waitForReminders(dataSource, seeded.runningCourseId);
    const flushed = await waitForFlush(config);

    // Stopping the proxy prints its counts per API process; stopping the workers ends their counts.
    const proxyCounts = JSON.parse((await stop(proxyChild)).trim().split('\n').at(-1)!) as {
      upstreams: Array<{ port: number; responses: number; byStatus: Record<string, number> }>;
      failures: number;
    };
    await Promise.all([...workers.map((w) => stop(w.child)), ...apis.map((a) => stop(a.child))]);

    // ---- Figures ----
    const kinds = load.kinds.map((kind, k) => {
      const all = load.samples.filter((s) => s[0] === k);
      const quiet = all.filter((s) => s[1] >= loadStarted + (STAGGER_SECONDS + REPORT_EVERY_SECONDS) * 1000 && s[1] < remindersQueuedAt);
      const busy = all.filter((s) => s[1] >= batch.startedAt && s[1] < Math.min(batch.finishedAt, loadEnded));
      return { kind, all, quiet, busy };
    });
    const total = load.samples.length;
    const failures = load.failures;
    rows.push({ metric: 'requests (all kinds)', value: `${total} in ${load.seconds.toFixed(0)} s = ${(total / load.seconds).toFixed(0)}/s`, baseline: '', target: `progress ≥ ${(LEARNERS / REPORT_EVERY_SECONDS).toFixed(0)}/s` });
    for (const { kind, all, quiet, busy } of kinds.sort((a, b) => b.all.length - a.all.length)) {
      rows.push({
        metric: kind,
        value: `${(all.length / load.seconds).toFixed(1)}/s; p50 ${p(all, 0.5)} / p99 ${p(all, 0.99)} ms`,
        baseline: `learners only (${STAGGER_SECONDS + REPORT_EVERY_SECONDS}–${REMINDERS_AT_SECONDS} s): p50 ${p(quiet, 0.5)} / p99 ${p(quiet, 0.99)} ms (${quiet.length}); during the certificate batch: p50 ${p(busy, 0.5)} / p99 ${p(busy, 0.99)} ms (${busy.length})`,
        target: kind === 'POST /activities/:id/progress' ? 'p99 ≤ 50 ms (as in the video bench)' : '',
      });
    }
    // Answers per 15 s of the run by when the request was sent, with their latency: shows a backlog building or draining.
    const timeline: string[] = [];
    for (let from = 0; from < load.seconds; from += 15) {
      const slice = load.samples.filter((s) => s[1] >= loadStarted + from * 1000 && s[1] < loadStarted + (from + 15) * 1000);
      if (slice.length) timeline.push(`${from}–${from + 15} s: ${(slice.length / 15).toFixed(0)}/s sent, p50 ${p(slice, 0.5)} / p99 ${p(slice, 0.99)} ms`);
    }
    rows.push({ metric: 'all requests by when sent', value: timeline.join('; '), baseline: '' });
    rows.push({ metric: 'POST /courses/:id/close (department, once)', value: `${closeMs.toFixed(0)} ms, ${closing.status}` });
    const failed = failures.length + proxyCounts.failures;
    rows.push({ metric: 'API CPU per request, alone (100 in a row, one API process, before the run)', value: costs, baseline: '' });
    rows.push({ metric: 'errors (non-2xx or socket error)', value: String(failed), target: '0' });
    const byKindStatus = new Map<string, number>();
    for (const f of failures) byKindStatus.set(`${f.kind} → ${f.status || 'socket error'}`, (byKindStatus.get(`${f.kind} → ${f.status || 'socket error'}`) ?? 0) + 1);
    for (const [what, n] of byKindStatus) rows.push({ metric: `  error: ${what}`, value: `${n}× (first: ${failures.find((f) => `${f.kind} → ${f.status || 'socket error'}` === what)!.body})` });
    if (Object.keys(load.reasons).length) rows.push({ metric: 'progress reports only partly counted', value: JSON.stringify(load.reasons), target: 'none' });

    const served = proxyCounts.upstreams.reduce((sum, u) => sum + u.responses, 0);
    for (const [i, upstream] of proxyCounts.upstreams.entries()) {
      rows.push({ metric: `${apis[i].label}: responses`, value: `${upstream.responses} (${((100 * upstream.responses) / served).toFixed(1)}%)`, baseline: `statuses ${JSON.stringify(upstream.byStatus)}` });
    }
    for (const w of workers) {
      const jobs = [...w.completed.entries()].sort().map(([name, n]) => `${name} ${n}`).join(', ');
      rows.push({ metric: `${w.label}: jobs completed`, value: jobs, baseline: `${w.rendered} PDFs (${((100 * w.rendered) / CERTIFICATES).toFixed(1)}%)` });
    }
    const sends = workers.map((w) => w.completed.get('reminders.send') ?? 0);
    rows.push({ metric: 'reminder mails sent by each worker', value: sends.join(' + ') });
    rows.push({
      metric: `certificate batch (${CERTIFICATES})`,
      value: `${((batch.finishedAt - batch.startedAt) / 1000).toFixed(1)} s, ${(CERTIFICATES / ((batch.finishedAt - batch.startedAt) / 1000)).toFixed(1)}/s`,
      baseline: `from ${((batch.startedAt - loadStarted) / 1000).toFixed(0)} s to ${((batch.finishedAt - loadStarted) / 1000).toFixed(0)} s of the ${load.seconds.toFixed(0)} s run`,
    });
    const cpuOf = (child: ChildProcess) => `${cpu.get(child.pid!)!.toFixed(1)} s`;
    rows.push({
      metric: `CPU seconds during the ${load.seconds.toFixed(0)} s run`,
      value: [...apis.map((a) => `${a.label} ${cpuOf(a.child)}`), ...workers.map((w) => `${w.label} ${cpuOf(w.child)}`), `proxy ${cpuOf(proxyChild)}`].join(', '),
      baseline: `load generator ${load.cpuSeconds.toFixed(1)} s (${((100 * load.cpuSeconds) / load.seconds).toFixed(0)}% of one core), bench process ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s; all on the same ${cpus().length} cores`,
    });

    // ---- Checks ----
    const progress = await checkProgress(dataSource, seeded.videoId, seeded.learnerIds, load.watched, load.reported);
    rows.push({ metric: 'check: every learner’s watching in MySQL after the flush', value: progress, target: `all ${LEARNERS} reported and stored` });
    rows.push({ metric: 'check: certificates', value: await checkCertificates(dataSource, seeded.closingCourseId), target: `serials 1..${CERTIFICATES}` });
    rows.push({ metric: 'check: reminders', value: checkReminders(deliveries, smtp, seeded.learnerEmails), target: `${LEARNERS} due-soon, each mailed once` });
    rows.push({ metric: 'Redis watch states left to flush at the end', value: String(flushed) });
    rows.push({
      metric: 'machine',
      value: `${cpus().length} cores shared by every process above; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`,
    });
    return {
      name: `scale-out: ${API_PROCESSES} API + ${WORKER_PROCESSES} worker processes, ${LEARNERS} learners for ${SECONDS} s, reminder run and ${CERTIFICATES} certificates meanwhile`,
      rows,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await queues.reminders.close();
    await queues.certificates.close();
    await drop();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    rmSync(storageDir, { recursive: true, force: true });
  }
}

interface Seeded {
  learnerIds: string[];
  learnerEmails: string[];
  adminId: string;
  runningCourseId: string;
  videoId: string;
  closingCourseId: string;
}

/**
 * max(LEARNERS, CERTIFICATES) secretaries with mail addresses and a department admin; a running course with one
 * required hour-long video due tomorrow (so every learner is due a reminder), the first LEARNERS enrolled; and
 * a course the first CERTIFICATES completed, still open, for the department to close.
 */
async function seed(ds: DataSource): Promise<Seeded> {
  const { insertId: unitId } = await ds.query(`INSERT INTO units (name, code) VALUES ('马克思主义学院党委', 'BENCH')`);
  const { insertId: branchId } = await ds.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES (?, '教工第一党支部', 'BENCH-B', 'staff')`, [unitId]);
  const people = Math.max(LEARNERS, CERTIFICATES);
  for (let from = 0; from < people; from += 5000) {
    const values = Array.from({ length: Math.min(5000, people - from) }, (_, i) => `('s${from + i}', '学员${from + i}', 's${from + i}@bench.example.edu.cn', 'secretary', ${branchId}, ${unitId}, 'x')`);
    await ds.query(`INSERT INTO users (username, name, email, role, branch_id, unit_id, password_hash) VALUES ${values.join(', ')}`);
  }
  const { insertId: adminId } = await ds.query(`INSERT INTO users (username, name, email, role, password_hash) VALUES ('bench-admin', '组织部', 'admin@bench.example.edu.cn', 'admin', 'x')`);

  const now = Date.now();
  const running = await ds.query(`INSERT INTO courses (title, starts_at, ends_at, status, published_at) VALUES ('2026年党支部书记培训班', ?, ?, 'published', ?)`, [
    new Date(now - 10 * 86400_000),
    new Date(now + 20 * 86400_000),
    new Date(now - 10 * 86400_000),
  ]);
  const section = await ds.query(`INSERT INTO sections (course_id, title) VALUES (?, '第一单元')`, [running.insertId]);
  const video = await ds.query(
    `INSERT INTO activities (course_id, section_id, type, title, required, credit_hours, due_at, settings) VALUES (?, ?, 'video', '新时代党支部工作', 1, 1, ?, ?)`,
    [running.insertId, section.insertId, new Date(now + 24 * 3600_000), JSON.stringify({ durationSeconds: 3600, completionPercent: 90 })],
  );
  await enrol(ds, running.insertId, LEARNERS, false);

  const closing = await ds.query(`INSERT INTO courses (title, starts_at, ends_at, status, published_at) VALUES ('2026年党支部书记培训班（春季）', ?, ?, 'published', ?)`, [
    new Date(now - 90 * 86400_000),
    new Date(now - 86400_000),
    new Date(now - 90 * 86400_000),
  ]);
  await enrol(ds, closing.insertId, CERTIFICATES, true);

  const learners: Array<{ id: string; email: string }> = await ds.query(`SELECT id, email FROM users WHERE role = 'secretary' ORDER BY id LIMIT ?`, [LEARNERS]);
  return {
    learnerIds: learners.map((l) => String(l.id)),
    learnerEmails: learners.map((l) => l.email),
    adminId: String(adminId),
    runningCourseId: String(running.insertId),
    videoId: String(video.insertId),
    closingCourseId: String(closing.insertId),
  };
}

/** The first `count` secretaries enrolled, with their course summaries (completed, or nothing done yet). */
async function enrol(ds: DataSource, courseId: string, count: number, completed: boolean): Promise<void> {
  await ds.query(
    `INSERT INTO enrollments (course_id, user_id, status, source, enrolled_at) SELECT ?, id, 'active', 'all', NOW(3) FROM users WHERE role = 'secretary' ORDER BY id LIMIT ?`,
    [courseId, count],
  );
  await ds.query(
    `INSERT INTO course_progress (course_id, user_id, unit_id, branch_id, active, required_total, required_done, credit_hours, sessions_attended, completed, completed_at)
     SELECT ?, id, unit_id, branch_id, 1, 1, ?, ?, 0, ?, ? FROM users WHERE role = 'secretary' ORDER BY id LIMIT ?`,
    [courseId, completed ? 1 : 0, completed ? 32.5 : 0, completed ? 1 : 0, completed ? new Date() : null, count],
  );
}

function queue(name: string, config: Awaited<ReturnType<typeof benchDatabase>>['config']): Queue {
  return new Queue(name, { connection: { url: config.redis.url, maxRetriesPerRequest: null }, prefix: bullPrefix(config) });
}

/** A mail server that keeps, per message, its recipients and Message-ID (enough to find a duplicate). */
async function smtpSink(): Promise<{ server: SMTPServer; port: number; messages: Array<{ to: string[]; messageId: string }> }> {
  const messages: Array<{ to: string[]; messageId: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId: /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, messages };
}

async function startWorker(label: string, children: ChildProcess[]): Promise<Counted> {
  const worker = await startCertificateWorker();
  children.push(worker.child);
  return Object.assign(worker, { label, cpuAtStart: 0 });
}

/** Everything the child prints, once it exits 0. */
function collect(child: ChildProcess): Promise<string> {
  let out = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${child.spawnargs.at(-1)} exited (${code}): ${errors}`)))));
}

/**
 * What each page request costs an API process in CPU, measured alone: 100 of a kind in a row (after 20 to warm
 * up), straight to one API process, read from its /proc CPU time. Reads only, so the run that follows starts
 * from the same state; the progress report's own cost is in the video bench.
 */
async function cpuPerRequest(apiUrl: string, pid: number, tokens: string[], courseId: string): Promise<string> {
  const paths = { 'GET /me/todo': '/api/me/todo', 'GET /me/notifications': '/api/me/notifications?page=1&pageSize=20', 'GET /courses/:id': `/api/courses/${courseId}`, 'GET /courses/:id/progress': `/api/courses/${courseId}/progress` };
  const costs: string[] = [];
  for (const [kind, path] of Object.entries(paths)) {
    const get = async (i: number) => {
      const answer = await fetch(apiUrl + path, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } });
      await answer.arrayBuffer();
      if (!answer.ok) throw new Error(`${kind} answered ${answer.status} before the run`);
    };
    for (let i = 0; i < 20; i++) await get(i);
    const before = cpuSeconds(pid);
    for (let i = 0; i < 100; i++) await get(20 + i);
    costs.push(`${kind} ${((cpuSeconds(pid) - before) * 10).toFixed(1)} ms`);
  }
  return costs.join(', ');
}

/** User + system CPU time the process has used so far, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Latency percentile of samples (ms, rounded), '–' for none. */
function p(samples: Array<[number, number, number, number]>, q: number): string {
  if (!samples.length) return '–';
  const sorted = samples.map((s) => s[2]).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
}

/** Polls the closed course's batch until it is done or failed (10 minutes at most); its start and end times. */
async function waitForBatch(ds: DataSource, courseId: string): Promise<{ startedAt: number; finishedAt: number }> {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const [batch] = await ds.query(`SELECT state, done, error, started_at, finished_at FROM certificate_batches WHERE course_id = ?`, [courseId]);
    if (batch?.state === 'failed') throw new Error(`certificate batch failed: ${batch.error}`);
    if (batch?.state === 'done') return { startedAt: new Date(batch.started_at).getTime(), finishedAt: new Date(batch.finished_at).getTime() };
    await sleep(500);
  }
  throw new Error('the certificate batch did not finish within 10 minutes');
}

/** Waits (2 minutes at most) until the course's reminders are all settled; their rows. */
async function waitForReminders(ds: DataSource, courseId: string): Promise<Array<{ kind: string; status: string; user_id: string; dedupe_key: string }>> {
  const deadline = Date.now() + 2 * 60_000;
  for (;;) {
    const rows: Array<{ kind: string; status: string; user_id: string; dedupe_key: string }> = await ds.query(
      `SELECT kind, status, user_id, dedupe_key FROM reminder_deliveries WHERE course_id = ?`,
      [courseId],
    );
    const unsettled = rows.filter((r) => ['queued', 'pending', 'sending', 'retrying'].includes(r.status)).length;
    if ((rows.length && !unsettled) || Date.now() > deadline) return rows;
    await sleep(500);
  }
}

/** Waits (1 minute at most) for the flush job to drain the Redis watch states; how many are left. */
async function waitForFlush(config: Awaited<ReturnType<typeof benchDatabase>>['config']): Promise<number> {
  const redis = await connectRedis(config);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const left = await redis.zcard(DIRTY_KEY);
      if (!left || Date.now() > deadline) return left;
      await sleep(500);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Every learner's watched seconds in MySQL against the last answer the learner got; and how many learners never
 * had a report answered within the run (their home page or play event answered too late).
 */
async function checkProgress(ds: DataSource, videoId: string, learnerIds: string[], watched: number[], reported: number[]): Promise<string> {
  const rows: Array<{ user_id: string; watched_seconds: number }> = await ds.query(`SELECT user_id, watched_seconds FROM video_progress WHERE activity_id = ?`, [videoId]);
  const stored = new Map(rows.map((r) => [String(r.user_id), Number(r.watched_seconds)]));
  const reporting = learnerIds.filter((_, i) => reported[i] > 0);
  const missing = reporting.filter((id) => !stored.has(id)).length;
  const differ = learnerIds.filter((id, i) => reported[i] > 0 && stored.get(id) !== watched[i]).length;
  const never = learnerIds.length - reporting.length;
  const reports = reported.reduce((sum, r) => sum + r, 0);
  const seconds = watched.reduce((sum, w) => sum + w, 0);
  const ok = missing === 0 && differ === 0 && never === 0;
  return (
    `${ok ? 'ok' : 'FAILED'}: ${reporting.length - missing} of ${reporting.length} learners with an answered report stored, ${differ} differ from their last answer; ` +
    `${never} learners had no report answered within the run; ${(reports / learnerIds.length).toFixed(1)} reports and ${(seconds / learnerIds.length).toFixed(0)} s watched per learner`
  );
}

/** No learner twice, serials 1..N without a gap, every certificate with its PDF. */
async function checkCertificates(ds: DataSource, courseId: string): Promise<string> {
  const [row] = await ds.query(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users, MIN(seq) AS lo, MAX(seq) AS hi, SUM(pdf_key IS NULL) AS missing FROM certificates WHERE course_id = ?`,
    [courseId],
  );
  const [n, users, lo, hi, missing] = [row.n, row.users, row.lo, row.hi, row.missing].map(Number);
  const ok = n === CERTIFICATES && users === n && lo === 1 && hi === n && missing === 0;
  return `${ok ? 'ok' : 'FAILED'}: ${n} certificates, ${users} learners, serials ${lo}..${hi}, ${missing} without PDF`;
}

/** One due-soon delivery per learner, all sent, and one mail per learner with no Message-ID twice. */
function checkReminders(
  deliveries: Array<{ kind: string; status: string; user_id: string; dedupe_key: string }>,
  smtp: { messages: Array<{ to: string[]; messageId: string }> },
  learnerEmails: string[],
): string {
  const dueSoon = deliveries.filter((d) => d.kind === 'due-soon');
  const byStatus: Record<string, number> = {};
  for (const d of deliveries) byStatus[`${d.kind} ${d.status}`] = (byStatus[`${d.kind} ${d.status}`] ?? 0) + 1;
  const mailsTo = new Map<string, number>();
  for (const m of smtp.messages) for (const to of m.to) mailsTo.set(to, (mailsTo.get(to) ?? 0) + 1);
  const notOnce = learnerEmails.filter((e) => mailsTo.get(e) !== 1).length;
  const ids = new Set(smtp.messages.map((m) => m.messageId));
  const ok =
    dueSoon.length === LEARNERS && new Set(dueSoon.map((d) => String(d.user_id))).size === LEARNERS && dueSoon.every((d) => d.status === 'sent') && notOnce === 0 && ids.size === smtp.messages.length;
  return `${ok ? 'ok' : 'FAILED'}: deliveries ${JSON.stringify(byStatus)}; ${smtp.messages.length} mails, ${ids.size} distinct Message-IDs; learners mailed other than once: ${notOnce}`;
}
