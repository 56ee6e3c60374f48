import type { Course } from '../../src/courses/course.entity';
import type { Activity } from '../../src/courses/activity.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import type { ReminderJob } from '../../src/jobs/reminder-job';
import { QueueModule } from '../../src/jobs/queue.module';
import { MailMessage, MailService } from '../../src/mail/mail.service';
import { RedisModule } from '../../src/redis/redis.module';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { CLOCK, Clock } from '../../src/reminders/clock';
import { chinaDateTime } from '../../src/reminders/periods';
import { ReminderDeliveryService } from '../../src/reminders/reminder-delivery.service';
import { RemindersModule } from '../../src/reminders/reminders.module';
import { RemindersService } from '../../src/reminders/reminders.service';
import { appConfig } from '../../src/config/config';
import type { User } from '../../src/users/user.entity';
import { enrolRows, makeActivity, makeCourse, makeCourseRows, markActivityDone } from '../factories/course-rows.factory';
import { markCompleted } from '../factories/certificate.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';
import { actorOf } from './actors';

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
  const queued: Array<{ name: string; jobs: ReminderJob[]; delay?: number }> = [];
  const mails: MailMessage[] = [];
  const jobs = {
    enqueueBulk: async (name: string, payloads: ReminderJob[], options: { delay?: number } = {}) => {
      queued.push({ name, jobs: payloads, delay: options.delay });
      return [];
    },
  };
  let s: ServiceModule;
  let course: Course & { sectionId: string };
  let video: Activity;
  let reading: Activity;
  const people: Record<'behind' | 'videoDone' | 'onTrack' | 'finished' | 'optedOut' | 'noEmail' | 'inactive' | 'withdrawn', User> = {} as never;
  let unitAdmin: User;
  let otherUnitAdmin: User;
  let deptAdmin: User;
  /** A learner of a third unit, which has no unit admin. */
  let elsewhere: User;

  const mailsTo = (user: User) => mails.filter((m) => m.to === user.email);
  const job = (user: User, kind: ReminderJob['kind'], courseId = course.id) =>
    queued.flatMap((q) => q.jobs).find((j) => j.userId === user.id && j.kind === kind && j.courseId === courseId)!;
  const notes = async (user: User) => (await s.get(NotificationsService).list(user.id, { page: 1, pageSize: 100, skip: 0 } as never)).items;
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
    for (const key of Object.keys({ behind: 0, videoDone: 0, onTrack: 0, finished: 0, optedOut: 0, noEmail: 0, inactive: 0, withdrawn: 0 }) as Array<keyof typeof people>) {
      people[key] = await makeUser(ds, { branch, name: `${key}${uniq()}` });
    }
    await ds.query(`UPDATE users SET weekly_digest = 0 WHERE id = ?`, [people.optedOut.id]);
    await ds.query(`UPDATE users SET email = NULL WHERE id = ?`, [people.noEmail.id]);
    await ds.query(`UPDATE users SET active = 0 WHERE id = ?`, [people.inactive.id]);
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id });
    otherUnitAdmin = await makeUser(ds, { role: 'admin', unitId: otherUnit.id });
    deptAdmin = await makeUser(ds, { role: 'admin' });
    elsewhere = await makeUser(ds, { branch: await makeBranch(ds, await makeUnit(ds)), name: `外单位${uniq()}` });

    course = await makeCourse(ds, { startsAt: new Date(now.getTime() - 10 * DAY), endsAt: new Date(now.getTime() + 20 * DAY) });
    video = await makeActivity(ds, course, { type: 'video', dueAt: new Date(now.getTime() + 24 * HOUR), position: 0 });
    reading = await makeActivity(ds, course, { dueAt: new Date(now.getTime() - 24 * HOUR), position: 1 });
    const sessionStart = new Date(now.getTime() + 28 * HOUR); // tomorrow 14:00 China time
    await makeActivity(ds, course, {
      type: 'session',
      position: 2,
      settings: { startsAt: sessionStart.toISOString(), endsAt: new Date(sessionStart.getTime() + 2 * HOUR).toISOString(), location: '党校报告厅301' },
    });
    const { withdrawn, ...active } = people;
    await enrolRows(ds, course.id, [...Object.values(active).map((p) => p.id), elsewhere.id]);
    await enrolRows(ds, course.id, [withdrawn.id], 'withdrawn');
    await markCompleted(ds, course.id, [people.finished.id]);
    await markActivityDone(ds, course.id, video.id, people.videoDone.id);
    // Summaries as the engine keeps them: the first due date each has missed (the reading's, or none).
    await ds.query(`INSERT INTO course_progress (course_id, user_id, required_done, required_total, first_missing_due_at) VALUES (?, ?, 1, 3, ?)`, [
      course.id,
      people.videoDone.id,
      reading.dueAt,
    ]);
    await markActivityDone(ds, course.id, video.id, people.onTrack.id);
    await markActivityDone(ds, course.id, reading.id, people.onTrack.id);
    await ds.query(`INSERT INTO course_progress (course_id, user_id, required_done, required_total) VALUES (?, ?, 2, 3)`, [course.id, people.onTrack.id]);

    await s.get(RemindersService).fanOutCourse(course.id);
  });
  afterAll(() => s.close());

  it('reminds each learner of what is due for them: due soon, overdue while it can be made up, a session tomorrow, the weekly digest when behind', () => {
    expect(reminded(people.behind)).toEqual(['digest', 'due-soon', 'overdue', 'session-tomorrow']);
    // The video is done; the overdue reading still puts them behind.
    expect(reminded(people.videoDone)).toEqual(['digest', 'overdue', 'session-tomorrow']);
    // Ahead of the period's share and nothing past due left: no digest.
    expect(reminded(people.onTrack)).toEqual(['session-tomorrow']);
    expect(reminded(people.optedOut)).toEqual(['due-soon', 'overdue', 'session-tomorrow']);
    expect(reminded(people.noEmail)).toEqual(['digest', 'due-soon', 'overdue', 'session-tomorrow']);
  });

  it('reminds nobody who finished, left the course or was deactivated', () => {
    expect(reminded(people.finished)).toEqual([]);
    expect(reminded(people.withdrawn)).toEqual([]);
    expect(reminded(people.inactive)).toEqual([]);
  });

  it("sends the weekly summary to the department's admins and the unit admins of the learners' units only", () => {
    expect(reminded(deptAdmin)).toEqual(['summary']);
    expect(reminded(unitAdmin)).toEqual(['summary']);
    expect(reminded(otherUnitAdmin)).toEqual([]);
  });

  it('queues nothing on a second run the same day', async () => {
    const rerun = await s.get(RemindersService).fanOutCourse(course.id);
    expect(rerun.queued).toBe(0);
  });

  it('decides at send time: sends once, never twice, and not to a learner who finished meanwhile', async () => {
    const delivery = s.get(ReminderDeliveryService);

    const dueSoon = job(people.behind, 'due-soon');
    expect(await delivery.deliver(dueSoon, { made: 0, max: 6 })).toBe('sent');
    expect(mails.filter((m) => m.to === people.behind.email).map((m) => m.subject)).toEqual([expect.stringContaining('即将截止')]);
    expect(await delivery.deliver(dueSoon, { made: 0, max: 6 })).toBe('already-handled');
    expect(mails.filter((m) => m.to === people.behind.email)).toHaveLength(1);
    expect((await notes(people.behind)).filter((n) => n.kind === 'reminder.due-soon')).toHaveLength(1);

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
    const summary = await s.get(RemindersService).deliverySummary(actorOf(unitAdmin));
    expect(summary.sent).toBe(1);
    expect(summary.inAppOnly).toBe(1);
    expect(summary.skipped).toBe(1);
    expect(summary.failed).toBe(0);
    expect(summary.waiting).toBeGreaterThan(0);
  });
  it("lists a unit admin their unit's deliveries only; another unit's admin sees none and counts nothing", async () => {
    const reminders = s.get(RemindersService);
    const sent = { status: 'sent', page: 1, pageSize: 100, skip: 0 } as never;
    const own = await reminders.listDeliveries(sent, actorOf(unitAdmin));
    expect(own.items.map((d) => d.user.id)).toContain(people.behind.id);
    expect(own.items.every((d) => d.user.id !== elsewhere.id)).toBe(true);
    expect(await reminders.listDeliveries(sent, actorOf(otherUnitAdmin))).toMatchObject({ items: [], total: 0 });
    expect(await reminders.deliverySummary(actorOf(otherUnitAdmin))).toEqual({
      sent: 0, inAppOnly: 0, skipped: 0, waiting: 0, failed: 0, failedByReason: { invalid_address: 0, rejected: 0, unreachable: 0, other: 0 },
    });
  });

  it('gives a user without email each reminder in the app only, linked to what it is about', async () => {
    const delivery = s.get(ReminderDeliveryService);
    for (const kind of ['digest', 'overdue', 'session-tomorrow'] as const) {
      expect(await delivery.deliver(job(people.noEmail, kind), { made: 0, max: 6 })).toBe('in_app_only');
    }
    const inbox = await notes(people.noEmail);
    expect(inbox.map((n) => n.kind).sort()).toEqual(['reminder.digest', 'reminder.due-soon', 'reminder.overdue', 'reminder.session-tomorrow']);
    expect(inbox.find((n) => n.kind === 'reminder.due-soon')!.link).toBe(`/courses/${course.id}/activities/${video.id}`);
    expect(mailsTo(people.noEmail)).toEqual([]);
  });

  it('says when and where tomorrow’s session is, and links the digest to the work still to do', async () => {
    const delivery = s.get(ReminderDeliveryService);
    expect(await delivery.deliver(job(people.behind, 'session-tomorrow'), { made: 0, max: 6 })).toBe('sent');
    expect(await delivery.deliver(job(people.behind, 'digest'), { made: 0, max: 6 })).toBe('sent');
    const session = mailsTo(people.behind).find((m) => m.subject.includes('明天集中培训'))!;
    expect(session.text).toContain('地点：党校报告厅301');
    expect(session.text).toMatch(/时间：\d{4}年\d+月\d+日 14:00 至 \d{4}年\d+月\d+日 16:00/);
    const digest = mailsTo(people.behind).find((m) => m.subject.includes('学习周报'))!;
    const base = appConfig().http.publicUrl;
    expect(digest.text).toContain(`${base}/courses/${course.id}/activities/${reading.id}`);
    expect(digest.html).toContain(`href="${base}/courses/${course.id}/activities/${reading.id}"`);
  });

  it('summarizes completion by branch: a unit admin their unit’s learners behind, the department everyone', async () => {
    const delivery = s.get(ReminderDeliveryService);
    expect(await delivery.deliver(job(unitAdmin, 'summary'), { made: 0, max: 6 })).toBe('sent');
    expect(await delivery.deliver(job(deptAdmin, 'summary'), { made: 0, max: 6 })).toBe('sent');
    const [unitSummary] = mailsTo(unitAdmin);
    expect(unitSummary.subject).toContain('完成情况');
    expect(unitSummary.text).toContain(people.behind.name);
    expect(unitSummary.text).not.toContain(elsewhere.name);
    expect(unitSummary.text).not.toContain(people.finished.name);
    // Behind by the due date they missed, although ahead of the period's share; the learner on track is not listed.
    expect(unitSummary.text).toContain(people.videoDone.name);
    expect(unitSummary.text).not.toContain(people.onTrack.name);
    const [deptSummary] = mailsTo(deptAdmin);
    expect(deptSummary.text).toContain(elsewhere.name);
    // Eight active enrolments (the withdrawn learner is not one), one of them finished.
    expect(deptSummary.text).toContain('全校共 8 人参训，已完成 1 人');
  });

  it('the hourly scan queues a run for each course running at that time only', async () => {
    // Years ahead, where no other test's course runs.
    clock.at = new Date(chinaTodayAt(10).getTime() + 7 * 365 * DAY);
    try {
      const running = await makeCourse(s.dataSource, { startsAt: new Date(clock.at.getTime() - DAY), endsAt: new Date(clock.at.getTime() + 10 * DAY) });
      await makeCourse(s.dataSource, { startsAt: new Date(clock.at.getTime() + 20 * DAY), endsAt: new Date(clock.at.getTime() + 40 * DAY) });
      expect(await s.get(RemindersService).scan()).toBe(1);
      const scanned = queued.at(-1)!;
      expect(scanned.name).toBe('reminders.course');
      expect(scanned.jobs).toEqual([expect.objectContaining({ courseId: running.id })]);
    } finally {
      clock.at = chinaTodayAt(10);
    }
  });

  describe('补学: reminders ask only for what can still be done', () => {
    /** A course whose required work was all due yesterday and whose session is over, fanned out and sent to `learner`. */
    async function overdueCourse(makeUp: { makeUpPolicy: 'none' | 'until'; makeUpUntil?: Date }, learner: User) {
      const yesterday = new Date(clock.now().getTime() - DAY);
      const { course: overdue, activities } = await makeCourseRows(
        s.dataSource,
        [{ type: 'video', dueAt: yesterday }, { type: 'reading', dueAt: yesterday }, { type: 'quiz', dueAt: yesterday }, { type: 'discussion', dueAt: yesterday }, { type: 'session' }],
        { startsAt: new Date(clock.now().getTime() - 10 * DAY), endsAt: new Date(clock.now().getTime() + 20 * DAY), ...makeUp },
      );
      await enrolRows(s.dataSource, overdue.id, [learner.id]);
      await s.get(RemindersService).fanOutCourse(overdue.id);
      const jobs = queued.flatMap((q) => q.jobs).filter((j) => j.userId === learner.id && j.courseId === overdue.id);
      const outcomes = [];
      for (const j of jobs) outcomes.push(await s.get(ReminderDeliveryService).deliver(j, { made: 0, max: 6 }));
      const [video, reading, quiz, discussion, session] = activities;
      return { jobs, outcomes, activities: { video, reading, quiz, discussion, session }, notes: (await notes(learner)).filter((n) => n.link?.startsWith(`/courses/${overdue.id}`)) };
    }

    it('sends no overdue reminder and no digest when nothing overdue can be made up (policy none)', async () => {
      const learner = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, await makeUnit(s.dataSource)), name: `不补学${uniq()}` });
      const { jobs, outcomes, notes: inApp } = await overdueCourse({ makeUpPolicy: 'none' }, learner);
      expect(jobs.filter((j) => j.kind === 'overdue')).toEqual([]);
      expect(outcomes.every((o) => o === 'skipped')).toBe(true);
      expect(inApp).toEqual([]);
      expect(mailsTo(learner)).toEqual([]);
    });

    it('names only what is open for make-up, with the make-up deadline, in the overdue reminder and the digest', async () => {
      const learner = await makeUser(s.dataSource, { branch: await makeBranch(s.dataSource, await makeUnit(s.dataSource)), name: `补学${uniq()}` });
      const until = new Date(clock.now().getTime() + 5 * DAY);
      const { jobs, activities, notes: inApp } = await overdueCourse({ makeUpPolicy: 'until', makeUpUntil: until }, learner);
      const untilText = chinaDateTime(until);
      const { video, reading, quiz, discussion, session } = activities;
      expect(jobs.filter((j) => j.kind === 'overdue').map((j) => j.subjectId).sort()).toEqual([video.id, reading.id, quiz.id, discussion.id].sort());
      const overdue = inApp.find((n) => n.kind === 'reminder.overdue' && n.link!.endsWith(reading.id))!;
      expect(overdue.title).toContain('可补学');
      expect(overdue.body).toContain(`请在 ${untilText} 前完成补学`);
      expect(mailsTo(learner).find((m) => m.subject.includes(reading.title))!.subject).toContain(`可补学至 ${untilText}`);
      const digest = mailsTo(learner).find((m) => m.subject.includes('学习周报'))!;
      expect(digest.text).toContain(`${quiz.title}（已于`);
      expect(digest.text).toContain(`可补学至 ${untilText}`);
      // The session is over: it cannot be done any more, so the digest does not ask for it.
      expect(digest.text).not.toContain(session.title);
    });
  });
});
