import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { retryOnLockConflict } from '../database/lock-retry';
import { JobsService } from '../jobs/jobs.service';
import { BRANCH_WORK_REMINDER_KINDS, NO_COURSE, type ReminderJob, type ReminderKind } from '../jobs/reminder-job';
import type { ReminderContent } from '../mail/reminder-templates';
import { BranchWorkRemindersRepository, type BranchWorkCandidate } from '../reports/branch-work-reminders.repository';
import { BranchWorkService } from '../reports/branch-work.service';
import type { ReminderRecipient } from '../users/users.repository';
import { Clock, CLOCK } from './clock';
import { dueStamp, quietDelayMs } from './periods';
import { ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import { reminderKeyPrefix } from './reminder-key';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** A plan item of this month is reminded from this day of the month (Beijing) if no record names it yet. */
export const PLAN_DUE_FROM_DAY = 15;
/** A returned record is reminded if it was returned this recently (older ones are on the secretary's page). */
const RETURNED_WINDOW_MS = 7 * DAY_MS;
const SUMMARY_BRANCH_LIMIT = 30;
const BULK_CHUNK = 1000;

export function isBranchWorkKind(kind: ReminderKind): boolean {
  return (BRANCH_WORK_REMINDER_KINDS as readonly string[]).includes(kind);
}

function beijingDate(at: Date): { year: number; month: number; day: number } {
  const d = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const monthPeriod = (year: number, month: number) => `${year}${String(month).padStart(2, '0')}`;

export interface BranchWorkFanOut {
  queued: number;
  byKind: Partial<Record<ReminderKind, number>>;
  delayMs: number;
}

/**
 * Reminders of the branch's year, through the same deliveries as the training reminders (one dedupe key per
 * reminder and person, recorded in reminder_deliveries, so nothing is sent twice; quiet hours; in-app and
 * mail): a plan item placed in this month and not yet recorded (from the 15th), a plan item whose month is over
 * without an accepted record (once, the month after), a record returned by the unit (once per return), and on
 * the first run of each month a summary to each unit admin of the unit's branches behind the norms. They go to
 * whoever is the branch's secretary when sent, and are checked again then: done work is not reminded.
 */
@Injectable()
export class BranchWorkRemindersService {
  constructor(
    private readonly candidates: BranchWorkRemindersRepository,
    private readonly branchWork: BranchWorkService,
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly jobs: JobsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Decides who needs which reminder now and queues one send job each (keys already recorded are left out). */
  async fanOut(): Promise<BranchWorkFanOut> {
    const now = this.clock.now();
    const today = beijingDate(now);
    const last = today.month === 1 ? { year: today.year - 1, month: 12 } : { year: today.year, month: today.month - 1 };
    const jobs: ReminderJob[] = [];
    const add = (kind: ReminderKind, period: (c: BranchWorkCandidate) => string, found: BranchWorkCandidate[]) => {
      for (const c of found) {
        const p = period(c);
        jobs.push({ key: reminderKeyPrefix(kind, c.subjectId, p) + c.userId, kind, userId: c.userId, courseId: NO_COURSE, subjectId: c.subjectId, period: p });
      }
    };
    if (today.day >= PLAN_DUE_FROM_DAY) add('plan-due', () => monthPeriod(today.year, today.month), await this.candidates.dueUnrecorded(today.year, today.month));
    add('plan-overdue', () => monthPeriod(last.year, last.month), await this.candidates.overdue(last.year, last.month));
    add('record-returned', (c) => dueStamp(c.at!), await this.candidates.returnedSince(new Date(now.getTime() - RETURNED_WINDOW_MS)));
    add(
      'branch-summary',
      () => monthPeriod(today.year, today.month),
      (await this.candidates.unitAdmins()).map((a) => ({ subjectId: a.unitId, userId: a.userId })),
    );

    const known = await this.deliveries.knownKeys(jobs.map((j) => j.key));
    const fresh = jobs.filter((j) => !known.has(j.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const delayMs = quietDelayMs(now, this.config.mail.quietHours);
    const byKind: Partial<Record<ReminderKind, number>> = {};
    for (let i = 0; i < fresh.length; i += BULK_CHUNK) {
      const chunk = fresh.slice(i, i + BULK_CHUNK);
      await this.jobs.enqueueBulk('reminders.send', chunk, delayMs ? { delay: delayMs } : {});
      await retryOnLockConflict(() => this.deliveries.recordQueued(chunk));
      for (const j of chunk) byKind[j.kind] = (byKind[j.kind] ?? 0) + 1;
    }
    return { queued: fresh.length, byKind, delayMs };
  }

  /** What to say, decided at send time; null when the reminder no longer applies. */
  async compose(job: ReminderJob, recipient: ReminderRecipient): Promise<ReminderContent | null> {
    const now = this.clock.now();
    const base = this.config.http.publicUrl;
    if (job.kind === 'branch-summary') return this.summary(job, recipient, now);

    if (job.kind === 'record-returned') {
      const record = await this.candidates.record(job.subjectId);
      if (!record || record.status !== 'returned' || !record.reviewedAt || dueStamp(record.reviewedAt) !== job.period) return null;
      if (!(await this.candidates.isSecretaryOf(recipient.id, record.branchId))) return null;
      const branch = await this.branchWork.branchNamed(record.branchId);
      const path = `/handbook/records/${record.id}`;
      return { kind: 'record-returned', name: recipient.name, branchName: branch?.name ?? '', recordTitle: record.title, comment: record.reviewComment, url: `${base}${path}`, path };
    }

    const item = await this.candidates.planItem(job.subjectId);
    if (!item || item.planStatus !== 'approved' || monthPeriod(item.year, item.month) !== job.period) return null;
    if (!(await this.candidates.isSecretaryOf(recipient.id, item.branchId))) return null;
    if (job.kind === 'plan-due') {
      const today = beijingDate(now);
      // Only while it is still this month and nothing names it yet.
      if (item.recorded || item.year !== today.year || item.month !== today.month) return null;
    } else if (item.done) {
      return null;
    }
    const branch = await this.branchWork.branchNamed(item.branchId);
    const path = `/branches/${item.branchId}/plans/${item.year}`;
    const kind = job.kind === 'plan-due' ? 'plan-due' : 'plan-overdue';
    return { kind, name: recipient.name, branchName: branch?.name ?? '', itemTitle: item.title, year: item.year, month: item.month, url: `${base}${path}`, path };
  }

  /** The unit's branches behind the norms this year (most overdue first); null when none is behind. */
  private async summary(job: ReminderJob, recipient: ReminderRecipient, now: Date): Promise<ReminderContent | null> {
    if (recipient.role !== 'admin' || recipient.unitId !== job.subjectId || !recipient.weeklyDigest) return null;
    const actor: AuthUser = { id: recipient.id, username: '', name: recipient.name, role: 'admin', unitId: recipient.unitId, branchId: null, mustChangePassword: false };
    const report = await this.branchWork.compliance(actor, { behind: 'true', sort: 'overdue' }, now);
    const unit = report.byUnit[0];
    if (!unit || report.branches.length === 0) return null;
    const today = beijingDate(now);
    const path = '/oversight/branch-work';
    return {
      kind: 'branch-summary',
      name: recipient.name,
      scope: unit.name,
      year: today.year,
      month: today.month,
      branches: unit.branches,
      behind: report.branches.slice(0, SUMMARY_BRANCH_LIMIT).map((b) => ({ name: b.name, overdue: b.overdue, waitingReview: b.waitingReview })),
      behindTotal: report.branches.length,
      waitingReview: unit.waitingReview,
      url: `${this.config.http.publicUrl}${path}`,
      path,
    };
  }
}
