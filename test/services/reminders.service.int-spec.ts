import type { Course } from '../../src/courses/course.entity';
import type { Activity } from '../../src/courses/activity.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import type { ReminderJob } from '../../src/jobs/reminder-job';
import { QueueModule } from '../../src/jobs/queue.module';
import { MailMessage, MailService } from '../../src/mail/mail.service';
import { RedisModule } from '../../src/redis/redis.module';
import { CLOCK, Clock } from '../../src/reminders/clock';
import { ReminderDeliveryService } from '../../src/reminders/reminder-delivery.service';
import { RemindersModule } from '../../src/reminders/reminders.module';
import { RemindersService } from '../../src/reminders/reminders.service';
import type { AuthUser } from '../../src/common/auth-user';
import type { User } from '../../src/users/user.entity';
import { enrolRows, makeActivity, makeCourse, markActivityDone } from '../factories/course-rows.factory';
import { markCompleted } from '../factories/certificate.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** `hour`:00 China time today. */
function chinaTodayAt(hour: number): Date {
  const china = new Date(Date.now() + 8 * HOUR);
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), hour - 8, 0, 0));
}

/**
 * Who is reminded of what, quiet hours and never twice, on RemindersService and ReminderDeliveryService with
 * the real database; the queue and the mail server are replaced (the whole path through BullMQ and SMTP is
 * tested in reminders.e2e-spec.ts).
 */
describe('RemindersService and ReminderDeliveryService (real MySQL)', () => {
  const clock = { at: chinaTodayAt(10), now() { return new Date(this.at); } } satisfies Clock & { at: Date };
  const queued: Array<{ jobs: ReminderJob[]; delay?: number }> = [];
  const mails: MailMessage[] = [];
  const jobs = {
    enqueueBulk: async (_name: string, payloads: ReminderJob[], options: { delay?: number } = {}) => {
      queued.push({ jobs: payloads, delay: options.delay });
      return [];
    },
  };
  let s: ServiceModule;
  let course: Course & { sectionId: string };
  let video: Activity;
  let reading: Activity;
  const people: Record<'behind' | 'videoDone' | 'finished' | 'optedOut' | 'noEmail' | 'inactive' | 'withdrawn', User> = {} as never;
  let unitAdmin: User;
  let otherUnitAdmin: User;

  const reminded = (user: User) =>
    queued
      .flatMap((q) => q.jobs)
      .filter((j) => j.userId === user.id && j.courseId === course.id)
      .map((j) => j.kind)
      .sort();

  beforeAll(async () => {
    s = await createServiceModule(
      { imports: [RedisModule, QueueModule, RemindersModule] },
      { replace: [[JobsService, jobs], [MailService, { send: async (message: MailMessage) => void mails.push(message) }], [CLOCK, clock]] },
    );
    const ds = s.dataSource;
    const now = clock.now();
    const [unit, otherUnit] = [await makeUnit(ds), await makeUnit(ds)];
    const branch = await makeBranch(ds, unit);
    for (const key of Object.keys({ behind: 0, videoDone: 0, finished: 0, optedOut: 0, noEmail: 0, inactive: 0, withdrawn: 0 }) as Array<keyof typeof people>) {
      people[key] = await makeUser(ds, { branch, name: `${key}${uniq()}` });
    }
    await ds.query(`UPDATE users SET weekly_digest = 0 WHERE id = ?`, [people.optedOut.id]);
    await ds.query(`UPDATE users SET email = NULL WHERE id = ?`, [people.noEmail.id]);
    await ds.query(`UPDATE users SET active = 0 WHERE id = ?`, [people.inactive.id]);
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id });
    otherUnitAdmin = await makeUser(ds, { role: 'admin', unitId: otherUnit.id });

    course = await makeCourse(ds, { startsAt: new Date(now.getTime() - 10 * DAY), endsAt: new Date(now.getTime() + 20 * DAY) });
    video = await makeActivity(ds, course, { type: 'video', dueAt: new Date(now.getTime() + 24 * HOUR), position: 0 });
    reading = await makeActivity(ds, course, { dueAt: new Date(now.getTime() - 24 * HOUR), position: 1 });
    const sessionStart = new Date(now.getTime() + 28 * HOUR); // tomorrow 14:00 China time
    await makeActivity(ds, course, {
      type: 'session',
      position: 2,
      settings: { startsAt: sessionStart.toISOString(), endsAt: new Date(sessionStart.getTime() + 2 * HOUR).toISOString(), location: '党校报告厅' },
    });
    const { withdrawn, ...active } = people;
    await enrolRows(ds, course.id, Object.values(active).map((p) => p.id));
    await enrolRows(ds, course.id, [withdrawn.id], 'withdrawn');
    await markCompleted(ds, course.id, [people.finished.id]);
    await markActivityDone(ds, course.id, video.id, people.videoDone.id);
    await ds.query(`INSERT INTO course_progress (course_id, user_id, required_done, required_total) VALUES (?, ?, 1, 3)`, [course.id, people.videoDone.id]);

    await s.get(RemindersService).fanOutCourse(course.id);
  });
  afterAll(() => s.close());

  it('reminds each learner of what is due for them: due soon, overdue while it can be made up, a session tomorrow, the weekly digest when behind', () => {
    expect(reminded(people.behind)).toEqual(['digest', 'due-soon', 'overdue', 'session-tomorrow']);
    // The video is done; the overdue reading still puts them behind.
    expect(reminded(people.videoDone)).toEqual(['digest', 'overdue', 'session-tomorrow']);
    expect(reminded(people.optedOut)).toEqual(['due-soon', 'overdue', 'session-tomorrow']);
    expect(reminded(people.noEmail)).toEqual(['digest', 'due-soon', 'overdue', 'session-tomorrow']);
  });

  it('reminds nobody who finished, left the course or was deactivated', () => {
    expect(reminded(people.finished)).toEqual([]);
    expect(reminded(people.withdrawn)).toEqual([]);
    expect(reminded(people.inactive)).toEqual([]);
  });

  it("sends the weekly summary to the unit admins of the learners' units only", () => {
    expect(reminded(unitAdmin)).toEqual(['summary']);
    expect(reminded(otherUnitAdmin)).toEqual([]);
  });

  it('queues nothing on a second run the same day', async () => {
    const rerun = await s.get(RemindersService).fanOutCourse(course.id);
    expect(rerun.queued).toBe(0);
  });

  it('decides at send time: sends once, never twice, and not to a learner who finished meanwhile', async () => {
    const delivery = s.get(ReminderDeliveryService);
    const job = (user: User, kind: ReminderJob['kind']) => queued.flatMap((q) => q.jobs).find((j) => j.userId === user.id && j.kind === kind && j.courseId === course.id)!;

    const dueSoon = job(people.behind, 'due-soon');
    expect(await delivery.deliver(dueSoon, { made: 0, max: 6 })).toBe('sent');
    expect(mails.filter((m) => m.to === people.behind.email).map((m) => m.subject)).toEqual([expect.stringContaining('即将截止')]);
    expect(await delivery.deliver(dueSoon, { made: 0, max: 6 })).toBe('already-handled');
    expect(mails.filter((m) => m.to === people.behind.email)).toHaveLength(1);

    expect(await delivery.deliver(job(people.noEmail, 'due-soon'), { made: 0, max: 6 })).toBe('in_app_only');

    await markActivityDone(s.dataSource, course.id, reading.id, people.optedOut.id);
    expect(await delivery.deliver(job(people.optedOut, 'overdue'), { made: 0, max: 6 })).toBe('skipped');
    expect(mails.filter((m) => m.to === people.optedOut.email)).toEqual([]);
  });

  it('holds everything back during the quiet hours: the fan-out delays the jobs, a send job waits until 07:00', async () => {
    const late = await makeCourse(s.dataSource, { startsAt: new Date(clock.at.getTime() - 10 * DAY), endsAt: new Date(clock.at.getTime() + 20 * DAY) });
    await makeActivity(s.dataSource, late, { dueAt: new Date(clock.at.getTime() + 30 * HOUR) });
    const learner = await makeUser(s.dataSource, { name: `深夜${uniq()}` });
    await enrolRows(s.dataSource, late.id, [learner.id]);
    clock.at = chinaTodayAt(23);
    try {
      const run = await s.get(RemindersService).fanOutCourse(late.id);
      expect(run.delayMs).toBe(8 * HOUR);
      const [dueSoon] = queued.at(-1)!.jobs.filter((j) => j.userId === learner.id);
      expect(queued.at(-1)!.delay).toBe(8 * HOUR);
      expect(await s.get(ReminderDeliveryService).deliver(dueSoon, { made: 0, max: 6 })).toEqual({ deferMs: 8 * HOUR });
      expect(mails.filter((m) => m.to === learner.email)).toEqual([]);
    } finally {
      clock.at = chinaTodayAt(10);
    }
  });

  it('counts a unit admin only their unit in the delivery summary', async () => {
    const actor: AuthUser = { id: unitAdmin.id, username: unitAdmin.username, name: unitAdmin.name, role: 'admin', unitId: unitAdmin.unitId, branchId: null, mustChangePassword: false };
    const summary = await s.get(RemindersService).deliverySummary(actor);
    expect(summary.sent).toBe(1);
    expect(summary.inAppOnly).toBe(1);
    expect(summary.skipped).toBe(1);
    expect(summary.failed).toBe(0);
    expect(summary.waiting).toBeGreaterThan(0);
  });
});
