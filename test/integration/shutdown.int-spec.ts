import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { QueryRunner } from 'typeorm';
import { SHUTDOWN_CLOSE_SECONDS } from '../../src/common/shutdown-drain';
import { JobsService } from '../../src/jobs/jobs.service';
import { dueStamp } from '../../src/reminders/periods';
import { reminderKeyPrefix } from '../../src/reminders/reminder-key';
import { buildCourse } from '../factories/course.factory';
import { makeUser } from '../factories/org.factory';
import { startApiProcess } from '../support/processes';
import { createTestApp, TestApp } from '../support/test-app';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request on `agent` (keep-alive: the connection stays open afterwards, as browsers and proxies keep it). */
function send(agent: Agent, port: number, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Milliseconds from now until the process exits (rejects after `limitMs`). */
function exitTime(child: ChildProcess, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`the process still runs ${limitMs} ms after SIGTERM`)), limitMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

// Queues of this file only: the worker process started here takes no other test file's jobs.
process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-shutdown`;

/**
 * SIGTERM to a real API process (createApp, as `npm start` runs it): it stops accepting, closes idle keep-alive
 * connections at once, lets requests in flight finish (answered with `Connection: close`) and, after
 * SHUTDOWN_DRAIN_SECONDS, closes what is left and exits.
 */
describe('API shutdown on SIGTERM (a real process)', () => {
  jest.setTimeout(90_000); // each test starts an API process (10–20 s on a loaded machine)
  let t: TestApp;
  let token: string;
  let userId: string;
  const children: ChildProcess[] = [];
  const agents: Agent[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const api = await startApiProcess(env);
    children.push(api.child);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    agents.push(agent);
    return { ...api, agent };
  };
  /** Holds the user's row so that PATCH /api/me/preferences (an UPDATE of it) waits: a request in flight. */
  const holdUserRow = async (): Promise<QueryRunner> => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT id FROM users WHERE id = ? FOR UPDATE`, [userId]);
    return runner;
  };
  const waitingOnRow = async () => {
    for (let i = 0; i < 100; i++) {
      const rows: unknown[] = await t.dataSource.query(
        // Only this database's: the other jest worker's files run at the same time on databases of their own.
        `SELECT 1 FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
          WHERE p.DB = DATABASE() AND t.trx_state = 'LOCK WAIT' AND t.trx_query LIKE ? AND t.trx_query LIKE 'UPDATE%'`,
        [`%weekly_digest%`],
      );
      if (rows.length) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the request never reached the database');
  };

  beforeAll(async () => {
    t = await createTestApp();
    const user = await makeUser(t.dataSource);
    userId = user.id;
    token = await t.login(user.username);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const agent of agents) agent.destroy();
    await t?.close();
  });

  it('exits within seconds although a client keeps an idle keep-alive connection open', async () => {
    const { child, port, agent } = await start();
    expect((await send(agent, port, 'GET', '/api/me/preferences', token)).status).toBe(200);
    const exit = exitTime(child, 8_000);
    child.kill('SIGTERM');
    expect(await exit).toBeLessThan(5_000);
    // Nest ends the process with the signal itself once closed: a clean shutdown, not the backstop's exit(1).
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true);
  });

  it('lets a request in flight finish, answered with Connection: close, then exits', async () => {
    const { child, port, agent } = await start();
    const held = await holdUserRow();
    try {
      const slow = send(agent, port, 'PATCH', '/api/me/preferences', token, { weeklyDigest: false });
      await waitingOnRow();
      const exit = exitTime(child, 8_000);
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(child.exitCode).toBeNull(); // still draining
      await held.commitTransaction();
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ weeklyDigest: false });
      expect(answer.headers.connection).toBe('close');
      expect(await exit).toBeLessThan(5_000);
    } finally {
      if (held.isTransactionActive) await held.rollbackTransaction();
      await held.release();
    }
  });

  it('stops waiting for a request that outlasts SHUTDOWN_DRAIN_SECONDS: closes its connection, and exits', async () => {
    const { child, port, agent } = await start({ SHUTDOWN_DRAIN_SECONDS: '2' });
    const held = await holdUserRow();
    try {
      const stuck = send(agent, port, 'PATCH', '/api/me/preferences', token, { weeklyDigest: true }).catch((error: Error) => error);
      await waitingOnRow();
      const exit = exitTime(child, 15_000);
      const signalled = Date.now();
      child.kill('SIGTERM');
      // The connection is closed without an answer at the drain bound…
      expect(String(await stuck)).toMatch(/socket hang up|ECONNRESET/);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1_900);
      expect(Date.now() - signalled).toBeLessThan(4_000);
      // …and the process ends even though its database query still waits (at most SHUTDOWN_CLOSE_SECONDS more).
      expect(await exit).toBeLessThan(2_000 + SHUTDOWN_CLOSE_SECONDS * 1000 + 1_500);
    } finally {
      await held.rollbackTransaction();
      await held.release();
    }
  });

  it('a worker whose job is stuck (an SMTP server that never answers) exits SHUTDOWN_DRAIN_SECONDS after SIGTERM', async () => {
    // Takes the mail and never says 250: the send waits for nodemailer's 20 s socket timeout.
    const silent = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (stream) => stream.resume() });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const worker = spawn(process.execPath, ['-r', join(__dirname, '../support/swc-register.js'), join(__dirname, '../../src/worker.ts')], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${(silent.server.address() as AddressInfo).port}`, SHUTDOWN_DRAIN_SECONDS: '2', QUIET_HOURS: 'off', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(worker);
    let errors = '';
    worker.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        worker.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Worker started') && resolve());
        worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it started: ${errors}`)));
      });
      const admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
      const learner = await makeUser(t.dataSource);
      const dueAt = new Date(Date.now() + 20 * 3600 * 1000);
      const course = await buildCourse(t, admin, { video: { dueAt: dueAt.toISOString() }, learnerIds: [learner.id] });
      const period = dueStamp(dueAt);
      const key = reminderKeyPrefix('due-soon', course.video.id, period) + learner.id;
      await t.app.get(JobsService).enqueue('reminders.send', { key, kind: 'due-soon', userId: learner.id, courseId: course.id, subjectId: course.video.id, period });
      let status: string | undefined;
      for (let i = 0; i < 300 && status !== 'sending'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await t.dataSource.query(`SELECT status FROM reminder_deliveries WHERE dedupe_key = ?`, [key]))[0]?.status;
      }
      expect(status).toBe('sending');
      await new Promise((resolve) => setTimeout(resolve, 500)); // the mail is on the wire
      const exit = exitTime(worker, 15_000);
      worker.kill('SIGTERM');
      const took = await exit;
      expect(took).toBeGreaterThanOrEqual(1_900);
      expect(took).toBeLessThan(5_000);
      expect(errors).toContain('still shutting down 2 s after SIGTERM');
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
