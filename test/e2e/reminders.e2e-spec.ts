import { INestApplicationContext, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AddressObject, ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { appConfig } from '../../src/config/config';
import { JobSchedules } from '../../src/jobs/job-schedules.service';
import { JOB_DEFINITIONS, JobRegistry } from '../../src/jobs/jobs';
import { JOB_REGISTRY, JobsService } from '../../src/jobs/jobs.service';
import { MailMessage, MailService } from '../../src/mail/mail.service';
import { connectRedis } from '../../src/redis/redis';
import { CLOCK, Clock } from '../../src/reminders/clock';
import { ReminderDeliveryService } from '../../src/reminders/reminder-delivery.service';
import { ReminderDelivery } from '../../src/reminders/reminder-delivery.entity';
import { RemindersService } from '../../src/reminders/reminders.service';
import { dueStamp } from '../../src/reminders/periods';
import type { ReminderJob } from '../../src/jobs/reminder-job';
import { reminderKeyPrefix } from '../../src/reminders/reminder-key';
import { User } from '../../src/users/user.entity';
import { WorkerModule } from '../../src/worker.module';
import { buildCourse, expectStatus } from '../factories/course.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

// Queues of this file only: another test file's worker (real clock, real SMTP settings) never takes these jobs.
process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-rem`;

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** 10:00 China time today: daytime, outside the default quiet hours (22:00-07:00). */
function todayAtTenChina(): Date {
  const china = new Date(Date.now() + 8 * HOUR);
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), 2, 0, 0));
}

async function until<T>(what: string, probe: () => Promise<T | false | null | undefined>, seconds = 20): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('reminders (e2e: real MySQL, Redis, queues and SMTP)', () => {
  const received: ParsedMail[] = [];
  /** Addresses the SMTP server refuses once (451), with what happens at that moment. */
  const refuseOnce = new Map<string, () => void>();
  /** Addresses whose mail is accepted by SMTP and then the sending worker "dies": nothing after the send runs. */
  const dieAfterAccept = new Set<string>();
  /** Addresses whose worker "dies" just before it hands the mail to SMTP. */
  const dieBeforeSend = new Set<string>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refuseOnce.get(address.address);
      if (!refusal) return callback();
      refuseOnce.delete(address.address);
      refusal();
      callback(Object.assign(new Error('4.2.1 邮箱暂时不可用，请稍后再试'), { responseCode: 451 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const clock = { at: todayAtTenChina(), now() { return new Date(this.at); } } satisfies Clock & { at: Date };
  let t: TestApp;
  let worker: INestApplicationContext;
  let startWorker: () => Promise<INestApplicationContext>;
  let closeMail = () => undefined as void;
  let dept: { user: User; token: string };

  const mailsTo = (user: { email: string | null }) =>
    received.filter((m) => (m.to as AddressObject).value.some((a) => a.address === user.email));
  const deliveries = (courseId: string) => t.dataSource.getRepository(ReminderDelivery).findBy({ courseId });
  const settled = (courseId: string) =>
    until(`reminders of course ${courseId} to settle`, async () => {
      const rows = await deliveries(courseId);
      return rows.length > 0 && rows.every((r) => !['pending', 'queued', 'sending', 'retrying'].includes(r.status)) && rows;
    });
  const run = async (courseId: string, token = dept.token) => {
    const response = await t.post(`/api/courses/${courseId}/reminders/run`, {}, token);
    expect(response.statusCode).toBe(202);
    return response.json().jobId as string;
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    t = await createTestApp();

    // Mail to @down.example goes to a port where no SMTP server listens: a real unreachable server.
    const config = appConfig();
    const up = new MailService(config);
    const down = new MailService({ ...config, mail: { ...config.mail, smtpUrl: 'smtp://127.0.0.1:9' } });
    // Shared by the workers this file starts: closed once, in afterAll, not by whichever worker stops first.
    const never = new Promise<never>(() => undefined);
    const mail = {
      send: async (m: MailMessage) => {
        if (dieBeforeSend.delete(m.to)) return never;
        const accepted = await (m.to.endsWith('@down.example') ? down : up).send(m);
        return dieAfterAccept.delete(m.to) ? never : accepted;
      },
    };
    closeMail = () => [up, down].forEach((service) => service.onApplicationShutdown());
    // Retries as in production, only with a short fixed backoff.
    const registry: JobRegistry = { ...JOB_DEFINITIONS, 'reminders.send': { ...JOB_DEFINITIONS['reminders.send'], options: { attempts: 3, backoff: { type: 'fixed', delay: 100 } } } };
    startWorker = async () =>
      (
        await Test.createTestingModule({ imports: [WorkerModule] })
          .overrideProvider(CLOCK)
          .useValue(clock)
          .overrideProvider(JOB_REGISTRY)
          .useValue(registry)
          .overrideProvider(MailService)
          .useValue(mail)
          // No repeating scan in tests: it would remind other test files' learners.
          .overrideProvider(JobSchedules)
          .useValue({})
          .compile()
      ).init();
    worker = await startWorker();

    const admin = await makeUser(t.dataSource, { role: 'admin' });
    dept = { user: admin, token: await t.login(admin.username) };
  });

  afterAll(async () => {
    await worker?.close();
    closeMail();
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const config = appConfig();
    const redis = await connectRedis(config, { keyPrefix: '' });
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a run requested through the API mails each reminder due through SMTP, in Chinese with text and HTML', async () => {
    const now = clock.now();
    const learner = await makeUser(t.dataSource, { branch: await makeBranch(t.dataSource, await makeUnit(t.dataSource)), name: `落后${uniq()}` });
    const sessionStart = new Date(now.getTime() + 28 * HOUR); // tomorrow at 14:00 China time (the clock is at 10:00)
    const course = await buildCourse(t, dept.token, {
      startsAt: new Date(now.getTime() - 10 * DAY),
      endsAt: new Date(now.getTime() + 20 * DAY),
      video: { dueAt: new Date(now.getTime() + 24 * HOUR).toISOString() },
      reading: { dueAt: new Date(now.getTime() - 24 * HOUR).toISOString() },
      session: { startsAt: sessionStart.toISOString(), endsAt: new Date(sessionStart.getTime() + 2 * HOUR).toISOString(), location: '党校报告厅301' },
      learnerIds: [learner.id],
    });
    await run(course.id);
    const rows = await settled(course.id);
    expect(rows.filter((r) => r.userId === learner.id).map((r) => [r.kind, r.status]).sort()).toEqual([
      ['digest', 'sent'],
      ['due-soon', 'sent'],
      ['overdue', 'sent'],
      ['session-tomorrow', 'sent'],
    ]);
    const mails = mailsTo(learner);
    expect(mails).toHaveLength(4);
    const bySubject = (fragment: string) => mails.find((m) => m.subject?.includes(fragment)) as ParsedMail;
    expect(bySubject('即将截止').text).toContain(course.video.title);
    expect(bySubject('已逾期').text).toContain(course.reading.title);
    expect(bySubject('明天集中培训').text).toContain('地点：党校报告厅301');
    expect(bySubject('学习周报').html).toContain(`href="${appConfig().http.publicUrl}/courses/${course.id}/activities/`);
    for (const mail of mails) expect(mail.from?.text).toContain('培训班');
  });

  it('retries a mail the SMTP server cannot take, then shows it to admins as failed; the queue keeps going', async () => {
    const unit = await makeUnit(t.dataSource);
    const branch = await makeBranch(t.dataSource, unit);
    const unreachable = await makeUser(t.dataSource, { branch, email: `down${uniq()}@down.example` });
    const fine = await makeUser(t.dataSource, { branch });
    const now = clock.now();
    const course = await buildCourse(t, dept.token, {
      startsAt: new Date(now.getTime() - DAY),
      endsAt: new Date(now.getTime() + 30 * DAY),
      video: { dueAt: new Date(now.getTime() + 10 * HOUR).toISOString() },
      learnerIds: [unreachable.id, fine.id],
    });
    const jobId = await run(course.id);
    const rows = await settled(course.id);
    const failed = rows.find((r) => r.userId === unreachable.id && r.kind === 'due-soon') as ReminderDelivery;
    expect(failed).toMatchObject({ status: 'failed', mailAttempts: 3 });
    // The run answers how many reminders it queued and for whom (the page says so after 发送提醒).
    const outcome = expectStatus(await t.get(`/api/courses/${course.id}/reminders/run/${jobId}`, dept.token), 200, 'run status').json();
    expect(outcome).toMatchObject({ jobId, state: 'done', queued: rows.length, people: 2 + rows.filter((r) => r.kind === 'summary').length });
    expect(outcome.byKind).toMatchObject({ 'due-soon': 2, overdue: 0 });
    expect(outcome.peopleByKind).toMatchObject({ 'due-soon': 2, overdue: 0 });
    expect((await t.get(`/api/courses/${course.id}/reminders/run/reminders.course.1.x`, dept.token)).json()).toMatchObject({ statusCode: 404, code: 'REMINDER_RUN_NOT_FOUND' });
    expect((await t.get(`/api/courses/${course.id}/reminders/run/${jobId}`, await t.login(fine.username))).statusCode).toBe(403);
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(rows.find((r) => r.userId === fine.id && r.kind === 'due-soon')?.status).toBe('sent');
    expect(mailsTo(fine).length).toBeGreaterThan(0);
    // The in-app notification went out all the same, once.
    const inbox = (await t.get('/api/me/notifications', await t.login(unreachable.username))).json();
    expect(inbox.items.filter((n: { kind: string }) => n.kind === 'reminder.due-soon')).toHaveLength(1);

    const listed = (await t.get('/api/admin/reminders/deliveries?status=failed&pageSize=100', dept.token)).json();
    expect(listed.items.find((d: { id: string }) => d.id === failed.id)).toMatchObject({
      kind: 'due-soon',
      status: 'failed',
      user: { id: unreachable.id },
      course: { id: course.id },
      mailAttempts: 3,
      failureReason: 'unreachable',
    });
    const ownUnitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: unit.id })).username);
    expect((await t.get('/api/admin/reminders/deliveries', ownUnitAdmin)).json().items.map((d: { id: string }) => d.id)).toContain(failed.id);
    // The summary at the top of the admin page: the unit's own people only.
    const ownSummary = expectStatus(await t.get('/api/admin/reminders/summary', ownUnitAdmin), 200, 'summary').json();
    const failures = rows.filter((r) => r.status === 'failed').length;
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(ownSummary).toMatchObject({ failed: failures, waiting: 0, failedByReason: { unreachable: failures, invalid_address: 0, rejected: 0, other: 0 } });
    expect(ownSummary.sent).toBeGreaterThanOrEqual(1);
    expect((await t.get('/api/admin/reminders/summary', await t.login(fine.username))).statusCode).toBe(403);
    expect((await t.get('/api/admin/reminders/deliveries', await t.login(fine.username))).statusCode).toBe(403);
    expect((await t.get('/api/admin/reminders/deliveries?status=lost', dept.token)).statusCode).toBe(400);
  });

  it('lets only the department and the course instructors run reminders (403/404/409), and checks preferences input', async () => {
    const instructor = await makeUser(t.dataSource, { role: 'instructor' });
    const learner = await makeUser(t.dataSource);
    const outsider = await makeUser(t.dataSource, { role: 'instructor' });
    const course = await buildCourse(t, dept.token, { learnerIds: [learner.id] });
    await t.dataSource.query(`INSERT INTO course_instructors (course_id, user_id) VALUES (?, ?)`, [course.id, instructor.id]);
    const jobId = await run(course.id, await t.login(instructor.username));
    expect(jobId).toMatch(/^reminders\.course\./);

    // Secretaries are refused by role; an instructor of another course does not see this one.
    expect((await t.post(`/api/courses/${course.id}/reminders/run`, {}, await t.login(learner.username))).statusCode).toBe(403);
    expect((await t.post(`/api/courses/${course.id}/reminders/run`, {}, await t.login(outsider.username))).statusCode).toBe(404);
    const unitAdmin = await makeUser(t.dataSource, { role: 'admin', unitId: (await makeUnit(t.dataSource)).id });
    expect((await t.post(`/api/courses/${course.id}/reminders/run`, {}, await t.login(unitAdmin.username))).statusCode).toBe(403);
    expect((await t.post(`/api/courses/99999999/reminders/run`, {}, dept.token)).statusCode).toBe(404);
    expect((await t.post(`/api/courses/abc/reminders/run`, {}, dept.token)).statusCode).toBe(404);
    expect((await t.post(`/api/courses/${course.id}/reminders/run`, {})).statusCode).toBe(401);
    const draft = await buildCourse(t, dept.token, { publish: false });
    const conflict = await t.post(`/api/courses/${draft.id}/reminders/run`, {}, dept.token);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().message).toContain('未发布');

    const token = await t.login(learner.username);
    expect((await t.get('/api/me/preferences', token)).json()).toEqual({ weeklyDigest: true });
    const bad = await t.patch('/api/me/preferences', { weeklyDigest: 'no' }, token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'weeklyDigest', rule: 'boolean' })]));
    expect((await t.patch('/api/me/preferences', { weeklyDigest: false }, token)).json()).toEqual({ weeklyDigest: false });
    expect((await t.get('/api/me/preferences', token)).json()).toEqual({ weeklyDigest: false });
  });

  it('two worker processes on one Redis and MySQL send each reminder once, even when both fan out at the same time', async () => {
    const second = await startWorker();
    try {
      const now = clock.now();
      const learners = await Promise.all(Array.from({ length: 12 }, () => makeUser(t.dataSource)));
      const course = await buildCourse(t, dept.token, {
        startsAt: new Date(now.getTime() - DAY),
        endsAt: new Date(now.getTime() + 30 * DAY),
        video: { dueAt: new Date(now.getTime() + 20 * HOUR).toISOString() },
        learnerIds: learners.map((l) => l.id),
      });
      await Promise.all([worker.get(RemindersService).fanOutCourse(course.id), second.get(RemindersService).fanOutCourse(course.id)]);
      const rows = await settled(course.id);
      expect(rows.filter((r) => r.kind === 'due-soon' && r.status === 'sent')).toHaveLength(12);
      for (const learner of learners) expect(mailsTo(learner).filter((m) => m.subject?.includes('即将截止'))).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  describe('sending races, crashes and retries', () => {
    const dueIn = 40 * HOUR; // still due-soon the next morning
    /** One learner with one due-soon reminder, and the send job's payload for it (as the fan-out builds it). */
    const oneDueSoon = async () => {
      const learner = await makeUser(t.dataSource);
      const now = clock.now();
      const dueAt = new Date(now.getTime() + dueIn);
      const course = await buildCourse(t, dept.token, {
        startsAt: new Date(now.getTime() - DAY),
        endsAt: new Date(now.getTime() + 30 * DAY),
        video: { dueAt: dueAt.toISOString() },
        learnerIds: [learner.id],
      });
      const period = dueStamp(dueAt);
      const payload: ReminderJob = { key: reminderKeyPrefix('due-soon', course.video.id, period) + learner.id, kind: 'due-soon', userId: learner.id, courseId: course.id, subjectId: course.video.id, period };
      return { learner, course, payload };
    };
    const row = (key: string) => t.dataSource.getRepository(ReminderDelivery).findOneByOrFail({ dedupeKey: key });
    const statusOf = async (key: string) => (await t.dataSource.getRepository(ReminderDelivery).findOneBy({ dedupeKey: key }))?.status;
    /**
     * The send's INSERT of `key` waiting for a lock, in a transaction other than `seen` (each retry is a new one;
     * the server-wide view is matched on the key, and is refreshed only every 0.1 s).
     */
    const sendWaitsOnLock = (key: string, seen: Set<string>) =>
      until(`the send job of ${key} to wait for a lock`, async () => {
        const rows: { trx_id: string }[] = await t.dataSource.query(`SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE ?`, [`%${key}%`]);
        const fresh = rows.find((r) => !seen.has(String(r.trx_id)));
        if (fresh) seen.add(String(fresh.trx_id));
        return Boolean(fresh);
      });
    /**
     * Holds what a fan-out's bulk INSERT holds mid-statement (the send job's key and others, recorded, not yet
     * committed), starts the send job, and then, `times` over, has the fan-out record a key just before the one
     * the send job waits on: each time a lock cycle, in which MySQL rolls back the send job's INSERT.
     */
    const sendAgainstFanOut = async (payload: ReminderJob, times: number) => {
      const fanOut = t.dataSource.createQueryRunner();
      await fanOut.connect();
      await fanOut.startTransaction();
      const record = (keys: string[]) =>
        fanOut.query(
          `INSERT IGNORE INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status) VALUES ${keys.map(() => `(?, ?, ?, ?, ?, ?, 'queued')`).join(', ')}`,
          keys.flatMap((key) => [key, payload.kind, payload.userId, payload.courseId, payload.subjectId, payload.period]),
        );
      try {
        await record([payload.key, ...[1, 2, 3, 4, 5].map((i) => `${payload.key}${i}`)]);
        const sending = worker.get(ReminderDeliveryService).deliver(payload, { made: 0, max: 3 });
        sending.catch(() => undefined);
        const before = payload.key.slice(0, -1);
        const seen = new Set<string>();
        for (let i = 0; i < times; i++) {
          await sendWaitsOnLock(payload.key, seen);
          await record([before + '!'.repeat(i)]);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        await fanOut.commitTransaction();
        return await sending;
      } finally {
        if (fanOut.isTransactionActive) await fanOut.rollbackTransaction();
        await fanOut.release();
      }
    };

    it('a send job meeting the fan-out recording its key is not failed by the deadlock: sent on its first attempt', async () => {
      const { learner, payload } = await oneDueSoon();
      expect(await sendAgainstFanOut(payload, 1)).toBe('sent');
      expect(await row(payload.key)).toMatchObject({ status: 'sent', mailAttempts: 1, lastError: null });
      expect(mailsTo(learner)).toHaveLength(1);
    });

    it('a failure before the send job’s own error handling (a lock conflict that does not clear) is logged with the job id and recorded', async () => {
      const { learner, payload } = await oneDueSoon();
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        await expect(sendAgainstFanOut(payload, 5)).rejects.toThrow(/Deadlock/);
        expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(new RegExp(`reminders\\.send job ${payload.key.replace(/\./g, '\\.')} attempt 1/3 failed: Deadlock`)));
      } finally {
        warn.mockRestore();
      }
      expect(await row(payload.key)).toMatchObject({ status: 'retrying', lastError: expect.stringMatching(/Deadlock/) });
      expect(mailsTo(learner)).toEqual([]);
    });

    it('a retry that falls in the quiet hours waits until they end, then sends once', async () => {
      const tenAm = todayAtTenChina();
      const { learner, payload } = await oneDueSoon();
      const queue = worker.get(JobsService).queue('reminders');
      // The school's server refuses the first try; the retry comes at 22:30 China time.
      refuseOnce.set(learner.email!, () => (clock.at = new Date(tenAm.getTime() + 12.5 * HOUR)));
      try {
        await worker.get(JobsService).enqueue('reminders.send', payload);
        const deferred = await until('the retry to wait for the morning', async () => {
          const job = await queue.getJob(payload.key);
          return job && job.delay > HOUR && (await job.getState()) === 'delayed' && job;
        });
        expect(deferred.attemptsMade).toBe(1);
        expect(deferred.delay).toBeGreaterThan(8.4 * HOUR); // until 07:00, 8.5 hours on
        expect(deferred.delay).toBeLessThanOrEqual(8.5 * HOUR);
        expect(await row(payload.key)).toMatchObject({ status: 'retrying', lastError: expect.stringMatching(/451/) });
        expect(mailsTo(learner)).toEqual([]);

        clock.at = new Date(tenAm.getTime() + 21 * HOUR); // 07:00 the next morning
        await deferred.promote();
        await until('the deferred retry', async () => (await statusOf(payload.key)) === 'sent');
        expect(mailsTo(learner)).toHaveLength(1);
        expect((await row(payload.key)).mailAttempts).toBe(2);
      } finally {
        clock.at = tenAm;
      }
    });

    it('a worker that dies before handing the mail to SMTP: the job’s next run sends it, once', async () => {
      const { learner, payload } = await oneDueSoon();
      const delivery = worker.get(ReminderDeliveryService);
      dieBeforeSend.add(learner.email!);
      void delivery.deliver(payload, { made: 0, max: 3, token: 'dead-worker:1' });
      await until('the first run to claim the delivery', async () => (await statusOf(payload.key)) === 'sending');
      // BullMQ hands the stalled job to another processing (a new lock token), which takes the claim over.
      expect(await delivery.deliver(payload, { made: 0, max: 3, token: 'live-worker:1' })).toBe('sent');
      expect(mailsTo(learner)).toHaveLength(1);
      expect(await row(payload.key)).toMatchObject({ status: 'sent', claimToken: 'live-worker:1' });
    });

    it('a worker that dies after SMTP accepted the mail, before marking it sent: at most one duplicate, with the same Message-ID', async () => {
      const { learner, payload } = await oneDueSoon();
      const delivery = worker.get(ReminderDeliveryService);
      dieAfterAccept.add(learner.email!);
      void delivery.deliver(payload, { made: 0, max: 3, token: 'dead-worker:2' });
      await until('the mail to be accepted', async () => mailsTo(learner).length === 1);
      expect((await row(payload.key)).status).toBe('sending');
      expect(await delivery.deliver(payload, { made: 0, max: 3, token: 'live-worker:2' })).toBe('sent');
      // Once marked sent, no later run sends again.
      expect(await delivery.deliver(payload, { made: 1, max: 3, token: 'live-worker:3' })).toBe('already-handled');
      const mails = mailsTo(learner);
      expect(mails).toHaveLength(2);
      expect(mails[0].messageId).toBe(`<${payload.key}@training.local>`);
      expect(mails[1].messageId).toBe(mails[0].messageId);
      // Without a job lock to go by (no token), a fresh claim is left alone.
      const other = await oneDueSoon();
      dieBeforeSend.add(other.learner.email!);
      void delivery.deliver(other.payload, { made: 0, max: 3 });
      await until('the claim', async () => (await statusOf(other.payload.key)) === 'sending');
      expect(await delivery.deliver(other.payload, { made: 0, max: 3 })).toBe('already-handled');
    });
  });

  it('shows the queue board to department admins only, through a short-lived cookie', async () => {
    expect((await t.get('/api/admin/queues')).statusCode).toBe(401);
    expect((await t.get('/api/admin/queues/api/queues')).statusCode).toBe(401);
    const secretary = await t.login((await makeUser(t.dataSource)).username);
    expect((await t.post('/api/admin/queue-session', {}, secretary)).statusCode).toBe(403);
    const unitAdmin = await t.login((await makeUser(t.dataSource, { role: 'admin', unitId: (await makeUnit(t.dataSource)).id })).username);
    expect((await t.post('/api/admin/queue-session', {}, unitAdmin)).statusCode).toBe(403);
    expect((await t.post('/api/admin/queue-session', {})).statusCode).toBe(401);

    const opened = await t.post('/api/admin/queue-session', {}, dept.token);
    expect(opened.statusCode).toBe(201);
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api\/admin\/queues/);
    const cookie = setCookie.split(';')[0];

    const page = await t.request({ method: 'GET', url: '/api/admin/queues', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await t.request({ method: 'GET', url: '/api/admin/queues/api/queues', headers: { cookie } });
    expect(queues.statusCode).toBe(200);
    expect(queues.json().queues.map((q: { name: string }) => q.name).sort()).toEqual(['assessments', 'certificates', 'courses', 'reminders']);

    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await t.request({ method: 'GET', url: '/api/admin/queues', headers: { cookie: tampered } })).statusCode).toBe(401);
    // A bearer token alone does not open the board (the page cannot send one; the cookie is the only way in).
    expect((await t.get('/api/admin/queues', dept.token)).statusCode).toBe(401);
  });

});
