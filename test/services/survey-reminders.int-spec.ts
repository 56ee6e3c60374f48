import { JobsService } from '../../src/jobs/jobs.service';
import type { ReminderJob } from '../../src/jobs/reminder-job';
import { QueueModule } from '../../src/jobs/queue.module';
import { MailMessage, MailService } from '../../src/mail/mail.service';
import { RedisModule } from '../../src/redis/redis.module';
import { CLOCK, Clock } from '../../src/reminders/clock';
import { ReminderDeliveryService } from '../../src/reminders/reminder-delivery.service';
import { RemindersModule } from '../../src/reminders/reminders.module';
import { SurveyRemindersService } from '../../src/reminders/survey-reminders.service';
import type { Survey } from '../../src/surveys/survey.entity';
import type { User } from '../../src/users/user.entity';
import { beijingTime } from '../factories/branch-work.factory';
import { enrolRows, makeCourse } from '../factories/course-rows.factory';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';
import { makeSurvey, markAnswered } from '../factories/survey.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** A year of its own, so the surveys open here are the only ones open at the test's clock. */
const YEAR = 2032;

/**
 * Survey reminders on the real database: who is reminded (those addressed who have not answered, named
 * surveys and required course questionnaires only), once on opening and once two days before closing,
 * nothing twice, checked again at send time, quiet hours. The queue and the mail server are replaced (as in
 * branch-work-reminders.int-spec.ts); everything else is the real reminder delivery.
 */
describe('survey reminders (real MySQL)', () => {
  const opened = beijingTime(YEAR, 3, 1, 9);
  const clock = { at: beijingTime(YEAR, 3, 1, 10), now() { return new Date(this.at); } } satisfies Clock & { at: Date };
  const queued: Array<{ jobs: ReminderJob[]; delay?: number }> = [];
  const mails: MailMessage[] = [];
  const jobs = {
    enqueueBulk: async (_name: string, payloads: ReminderJob[], options: { delay?: number } = {}) => {
      queued.push({ jobs: payloads, delay: options.delay });
      return [];
    },
  };
  let s: ServiceModule;
  let people: Record<'s1' | 's2' | 's3' | 'other' | 'unitAdmin' | 'l1' | 'l2' | 'gone', User>;
  let named: Survey;
  let anonymous: Survey;
  let required: Survey;
  let later: Survey;
  let courseTitle: string;

  const all = () => queued.flatMap((q) => q.jobs);
  const remindedOf = (user: User) => all().filter((j) => j.userId === user.id).map((j) => `${j.kind}:${j.subjectId}`).sort();
  const jobOf = (user: User, kind: ReminderJob['kind'], survey: Survey) => all().find((j) => j.userId === user.id && j.kind === kind && j.subjectId === survey.id)!;
  const fanOut = () => s.get(SurveyRemindersService).fanOut();
  const deliver = (job: ReminderJob) => s.get(ReminderDeliveryService).deliver(job, { made: 0, max: 6 });

  beforeAll(async () => {
    s = await createServiceModule(
      { imports: [RedisModule, QueueModule, RemindersModule] },
      { replace: [[JobsService, jobs], [MailService, { send: async (message: MailMessage) => void mails.push(message) }], [CLOCK, clock]] },
    );
    const ds = s.dataSource;
    const unit = await makeUnit(ds);
    const branch = await makeBranch(ds, unit);
    const elsewhere = await makeBranch(ds, await makeUnit(ds));
    people = {
      s1: await makeUser(ds, { branch }),
      s2: await makeUser(ds, { branch }),
      s3: await makeUser(ds, { branch }),
      other: await makeUser(ds, { branch: elsewhere }),
      unitAdmin: await makeUser(ds, { role: 'admin', unitId: unit.id }),
      l1: await makeUser(ds, { branch: elsewhere }),
      l2: await makeUser(ds, { branch: elsewhere }),
      gone: await makeUser(ds, { branch: elsewhere }),
    };
    const author = await makeUser(ds, { role: 'admin' });
    const course = await makeCourse(ds, { startsAt: beijingTime(YEAR, 2, 1), endsAt: beijingTime(YEAR, 4, 1) });
    courseTitle = course.title;
    await enrolRows(ds, course.id, [people.l1.id, people.l2.id]);
    await enrolRows(ds, course.id, [people.gone.id], 'withdrawn');

    const window = { opensAt: opened, closesAt: new Date(opened.getTime() + 5 * DAY) };
    named = await makeSurvey(ds, { authorId: author.id, audienceKind: 'unit', unitId: unit.id, title: '支部工作调研', ...window });
    anonymous = await makeSurvey(ds, { authorId: author.id, audienceKind: 'unit', unitId: unit.id, anonymous: true, ...window });
    required = await makeSurvey(ds, {
      authorId: author.id,
      audienceKind: 'course',
      courseId: course.id,
      certificateCourseId: course.id,
      anonymous: true,
      title: '培训效果评估',
      opensAt: opened,
      closesAt: new Date(opened.getTime() + 20 * DAY),
    });
    later = await makeSurvey(ds, { authorId: author.id, audienceKind: 'unit', unitId: unit.id, opensAt: new Date(opened.getTime() + 2 * DAY), closesAt: new Date(opened.getTime() + 9 * DAY) });
    await markAnswered(ds, named.id, [people.s3.id]);
  });
  afterAll(() => s.close());

  it('on opening: those addressed who have not answered, for named surveys and required questionnaires only; nothing twice', async () => {
    const run = await fanOut();
    expect(run.byKind).toEqual({ 'survey-open': 4 });
    expect(remindedOf(people.s1)).toEqual([`survey-open:${named.id}`]);
    expect(remindedOf(people.s2)).toEqual([`survey-open:${named.id}`]);
    // s3 answered; another unit's secretary and the unit admin are not asked; the anonymous survey reminds nobody.
    for (const person of [people.s3, people.other, people.unitAdmin]) expect(remindedOf(person)).toEqual([]);
    expect(all().some((j) => j.subjectId === anonymous.id || j.subjectId === later.id)).toBe(false);
    // The anonymous questionnaire required before the certificate: the course's active learners, not the withdrawn one.
    expect(remindedOf(people.l1)).toEqual([`survey-open:${required.id}`]);
    expect(remindedOf(people.l2)).toEqual([`survey-open:${required.id}`]);
    expect(remindedOf(people.gone)).toEqual([]);
    expect(jobOf(people.l1, 'survey-open', required).courseId).toBe(required.courseId);
    expect(jobOf(people.s1, 'survey-open', named).courseId).toBe('0');

    expect((await fanOut()).queued).toBe(0);
    clock.at = new Date(clock.at.getTime() + HOUR);
    expect((await fanOut()).queued).toBe(0);
  });

  it('sends each once, in-app and by mail, and not to someone who answered meanwhile', async () => {
    const first = jobOf(people.s1, 'survey-open', named);
    expect(await deliver(first)).toBe('sent');
    expect(await deliver(first)).toBe('already-handled');
    const toS1 = mails.filter((m) => m.to === people.s1.email);
    expect(toS1.map((m) => m.subject)).toEqual(['【调查研究】请填写问卷「支部工作调研」']);
    const [notice] = await s.dataSource.query(`SELECT title, link FROM notifications WHERE user_id = ? AND kind = 'reminder.survey-open'`, [people.s1.id]);
    expect(notice).toEqual({ title: '请填写问卷「支部工作调研」', link: `/surveys/${named.id}` });

    await markAnswered(s.dataSource, required.id, [people.l1.id]);
    expect(await deliver(jobOf(people.l1, 'survey-open', required))).toBe('skipped');
    expect(await deliver(jobOf(people.l2, 'survey-open', required))).toBe('sent');
    const toL2 = mails.filter((m) => m.to === people.l2.email).at(-1)!;
    expect(toL2.text).toContain(`「${courseTitle}」的问卷「培训效果评估」已开始填写`);
    expect(toL2.text).toContain('本问卷为结业前必答问卷，作答后方可获发结业证书');
  });

  it('two days before closing: those still without an answer, once; a withdrawn learner or a closed survey gets nothing', async () => {
    await markAnswered(s.dataSource, named.id, [people.s2.id]);
    clock.at = new Date(named.closesAt.getTime() - DAY);
    const run = await fanOut();
    // The later survey opened meanwhile (announced on opening); the named one closes tomorrow.
    expect(run.byKind).toEqual({ 'survey-closing': 1, 'survey-open': 3 });
    expect(remindedOf(people.s1)).toEqual([`survey-closing:${named.id}`, `survey-open:${later.id}`, `survey-open:${named.id}`].sort());
    expect(remindedOf(people.s2).filter((k) => k.startsWith('survey-closing'))).toEqual([]);
    expect((await fanOut()).queued).toBe(0);

    const closing = jobOf(people.s1, 'survey-closing', named);
    expect(await deliver(closing)).toBe('sent');
    expect(mails.filter((m) => m.to === people.s1.email).at(-1)!.subject).toMatch(/^【调查研究】问卷「支部工作调研」即将截止/);

    // The required questionnaire nears its close: l2 (not l1, who answered) is reminded; l2 withdraws before the send.
    clock.at = new Date(required.closesAt.getTime() - DAY);
    await fanOut();
    expect(remindedOf(people.l1)).toEqual([`survey-open:${required.id}`]);
    expect(remindedOf(people.l2)).toEqual([`survey-closing:${required.id}`, `survey-open:${required.id}`].sort());
    await s.dataSource.query(`UPDATE enrollments SET status = 'withdrawn' WHERE course_id = ? AND user_id = ?`, [required.courseId, people.l2.id]);
    expect(await deliver(jobOf(people.l2, 'survey-closing', required))).toBe('skipped');

    // A reminder still waiting when its survey closes is not sent.
    const s3Later = jobOf(people.s3, 'survey-open', later);
    clock.at = new Date(later.closesAt.getTime() + HOUR);
    expect(await deliver(s3Later)).toBe('skipped');
  });

  it('holds everything back during the quiet hours: the fan-out delays the jobs, a send job waits', async () => {
    const ds = s.dataSource;
    const author = await makeUser(ds, { role: 'admin' });
    const night = beijingTime(YEAR, 6, 1, 23);
    const survey = await makeSurvey(ds, { authorId: author.id, audienceKind: 'unit', unitId: people.s1.unitId!, opensAt: new Date(night.getTime() - HOUR), closesAt: new Date(night.getTime() + 7 * DAY) });
    clock.at = night;
    const run = await fanOut();
    expect(run.queued).toBe(3);
    expect(run.delayMs).toBe(8 * HOUR); // until 07:00
    expect(queued.at(-1)!.delay).toBe(8 * HOUR);
    expect(await deliver(jobOf(people.s1, 'survey-open', survey))).toEqual({ deferMs: 8 * HOUR });
  });
});
