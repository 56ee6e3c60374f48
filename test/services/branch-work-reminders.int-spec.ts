import { JobsService } from '../../src/jobs/jobs.service';
import type { ReminderJob } from '../../src/jobs/reminder-job';
import { QueueModule } from '../../src/jobs/queue.module';
import { MailMessage, MailService } from '../../src/mail/mail.service';
import type { Branch } from '../../src/org/branch.entity';
import { RedisModule } from '../../src/redis/redis.module';
import { BranchWorkRemindersService } from '../../src/reminders/branch-work-reminders.service';
import { CLOCK, Clock } from '../../src/reminders/clock';
import { ReminderDeliveryService } from '../../src/reminders/reminder-delivery.service';
import { RemindersModule } from '../../src/reminders/reminders.module';
import type { User } from '../../src/users/user.entity';
import type { PlanItem } from '../../src/branch-plans/plan-item.entity';
import { beijingTime, makePlan, makeRecord } from '../factories/branch-work.factory';
import { makeBranch, makeUnit, makeUser, uniq } from '../factories/org.factory';
import { createServiceModule, ServiceModule } from '../support/service-module';

const DAY = 24 * 3600 * 1000;
/** A year of its own, so the plans and records here are the only ones in it. */
const YEAR = 2031;

/**
 * The branch's-year reminders on the real database: who gets which, from when, nothing twice, checked again
 * at send time, quiet hours, in-app and mail. The queue and the mail server are replaced (as in
 * reminders.service.int-spec.ts); everything else is the real reminder delivery.
 */
describe('branch-work reminders (real MySQL)', () => {
  const clock = { at: beijingTime(YEAR, 5, 10, 10), now() { return new Date(this.at); } } satisfies Clock & { at: Date };
  const queued: Array<{ jobs: ReminderJob[]; delay?: number }> = [];
  const mails: MailMessage[] = [];
  const jobs = {
    enqueueBulk: async (_name: string, payloads: ReminderJob[], options: { delay?: number } = {}) => {
      queued.push({ jobs: payloads, delay: options.delay });
      return [];
    },
  };
  let s: ServiceModule;
  let branch: Branch;
  let draftPlanBranch: Branch;
  let secretary: User;
  let otherSecretary: User;
  let unitAdmin: User;
  let items: PlanItem[];
  let returnedId: string;

  const all = () => queued.flatMap((q) => q.jobs);
  const remindedOf = (user: User) => all().filter((j) => j.userId === user.id).map((j) => `${j.kind}:${j.subjectId}`).sort();
  const jobOf = (user: User, kind: ReminderJob['kind']) => all().find((j) => j.userId === user.id && j.kind === kind)!;

  beforeAll(async () => {
    s = await createServiceModule(
      { imports: [RedisModule, QueueModule, RemindersModule] },
      { replace: [[JobsService, jobs], [MailService, { send: async (message: MailMessage) => void mails.push(message) }], [CLOCK, clock]] },
    );
    const ds = s.dataSource;
    const unit = await makeUnit(ds);
    branch = await makeBranch(ds, unit, { name: `提醒支部${uniq()}` });
    draftPlanBranch = await makeBranch(ds, unit);
    secretary = await makeUser(ds, { branch, name: `书记${uniq()}` });
    otherSecretary = await makeUser(ds, { branch: draftPlanBranch });
    unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id, name: `管理员${uniq()}` });

    // May's theme day (not recorded), April's committee meeting (no accepted record: overdue in May), a May
    // topic already recorded as a draft (not reminded).
    ({ items } = await makePlan(ds, branch, YEAR, [
      { month: 5, kind: 'theme_day', title: '五月主题党日' },
      { month: 4, kind: 'committee_meeting', title: '四月支委会' },
      { month: 5, kind: 'own', title: '五月专题学习' },
    ]));
    await makeRecord(ds, branch, { kind: 'own', heldAt: beijingTime(YEAR, 5, 3), status: 'draft', createdBy: secretary.id, planItemId: items[2].id });
    // A returned record, returned two days ago.
    const returned = await makeRecord(ds, branch, { kind: 'theme_day', heldAt: new Date(clock.at.getTime() - 2 * 24 * 3600 * 1000), status: 'returned', createdBy: secretary.id, title: '四月主题党日' });
    returnedId = returned.id;
    // A plan still in draft reminds nobody.
    await makePlan(ds, draftPlanBranch, YEAR, [{ month: 5, kind: 'theme_day' }, { month: 4, kind: 'theme_day' }], 'draft');
  });
  afterAll(() => s.close());

  it('before the 15th: the overdue item, the returned record and the monthly summary; not yet this month’s items', async () => {
    await s.get(BranchWorkRemindersService).fanOut();
    expect(remindedOf(secretary)).toEqual([`plan-overdue:${items[1].id}`, `record-returned:${returnedId}`].sort());
    expect(remindedOf(unitAdmin)).toEqual([`branch-summary:${branch.unitId}`]);
    expect(remindedOf(otherSecretary)).toEqual([]);
    expect(all().every((j) => j.courseId === '0')).toBe(true);
  });

  it('from the 15th: this month’s item no record names yet; nothing that was queued before, nothing twice', async () => {
    clock.at = beijingTime(YEAR, 5, 20, 10);
    const before = all().length;
    const run = await s.get(BranchWorkRemindersService).fanOut();
    expect(run.byKind).toEqual({ 'plan-due': 1 });
    expect(all().slice(before).map((j) => [j.userId, j.kind, j.subjectId])).toEqual([[secretary.id, 'plan-due', items[0].id]]);
    expect((await s.get(BranchWorkRemindersService).fanOut()).queued).toBe(0);
  });

  it('sends each once, in-app and by mail, and decides again at send time', async () => {
    const delivery = s.get(ReminderDeliveryService);
    const due = jobOf(secretary, 'plan-due');
    expect(await delivery.deliver(due, { made: 0, max: 6 })).toBe('sent');
    expect(await delivery.deliver(due, { made: 0, max: 6 })).toBe('already-handled');
    const toSecretary = mails.filter((m) => m.to === secretary.email);
    expect(toSecretary.map((m) => m.subject)).toEqual(['【支部工作提醒】本月计划「五月主题党日」尚未记录']);
    expect(toSecretary[0].text).toContain(`${branch.name}${YEAR}年度计划中安排在5月的「五月主题党日」尚未在工作手册中记录`);
    const [notice] = await s.dataSource.query(`SELECT title, link FROM notifications WHERE user_id = ? AND kind = 'reminder.plan-due'`, [secretary.id]);
    expect(notice).toEqual({ title: '本月计划「五月主题党日」尚未记录', link: `/branches/${branch.id}/plans/${YEAR}` });

    expect(await delivery.deliver(jobOf(secretary, 'record-returned'), { made: 0, max: 6 })).toBe('sent');
    expect(mails.at(-1)!.subject).toBe('【支部工作提醒】工作纪实「四月主题党日」被退回');
    expect(mails.at(-1)!.text).toContain('审核意见：请补充会议记录');

    // April's meeting was recorded and accepted meanwhile: no overdue reminder goes out.
    await makeRecord(s.dataSource, branch, { kind: 'committee_meeting', heldAt: beijingTime(YEAR, 4, 28), status: 'accepted', createdBy: secretary.id, planItemId: items[1].id });
    expect(await delivery.deliver(jobOf(secretary, 'plan-overdue'), { made: 0, max: 6 })).toBe('skipped');

    expect(await delivery.deliver(jobOf(unitAdmin, 'branch-summary'), { made: 0, max: 6 })).toBe('sent');
    const summary = mails.filter((m) => m.to === unitAdmin.email).at(-1)!;
    expect(summary.subject).toContain(`${YEAR}年5月落实情况`);
    // Both branches of the unit keep no records at all this year: both are behind.
    expect(summary.text).toContain('共 2 个党支部，截至本月有 2 个支部未达到工作规范要求');
    expect(summary.text).toContain(branch.name);
  });

  it('goes to whoever is the branch’s secretary when it is sent: a replaced secretary gets nothing', async () => {
    const successor = await makeUser(s.dataSource, { branch });
    await s.dataSource.query(`UPDATE users SET branch_id = NULL, unit_id = NULL WHERE id = ?`, [secretary.id]);
    const pending = { ...jobOf(secretary, 'plan-due'), key: `rem.plan-due.${items[0].id}.${YEAR}05.${secretary.id}x` };
    expect(await s.get(ReminderDeliveryService).deliver(pending, { made: 0, max: 6 })).toBe('skipped');
    clock.at = beijingTime(YEAR, 5, 21, 10);
    await s.get(BranchWorkRemindersService).fanOut();
    expect(remindedOf(successor)).toEqual([`plan-due:${items[0].id}`]);
  });

  it('holds everything back during the quiet hours: the fan-out delays the jobs, a send job waits', async () => {
    clock.at = beijingTime(YEAR, 5, 22, 23);
    await makeRecord(s.dataSource, branch, { kind: 'theme_day', heldAt: new Date(clock.at.getTime() - DAY), status: 'returned', createdBy: unitAdmin.id, title: '深夜退回' });
    const run = await s.get(BranchWorkRemindersService).fanOut();
    expect(run.queued).toBeGreaterThan(0);
    expect(run.delayMs).toBe(8 * 3600 * 1000); // until 07:00
    expect(queued.at(-1)!.delay).toBe(8 * 3600 * 1000);
    const late = queued.at(-1)!.jobs[0];
    expect(await s.get(ReminderDeliveryService).deliver(late, { made: 0, max: 6 })).toEqual({ deferMs: 8 * 3600 * 1000 });
  });
});
