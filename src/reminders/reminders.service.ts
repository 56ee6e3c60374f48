import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { SessionSettings } from '../access/activity-settings';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { workWindow } from '../access/work-window';
import { retryOnLockConflict } from '../database/lock-retry';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import type { JobPayloads } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import type { ReminderJob, ReminderKind } from '../jobs/reminder-job';
import { ActivityProgressRepository } from '../progress/activity-progress.repository';
import { CourseProgressRepository } from '../progress/course-progress.repository';
import { UsersRepository } from '../users/users.repository';
import { behindRule } from './behind';
import { Clock, CLOCK } from './clock';
import type { ListDeliveriesQuery } from './dto/reminders.dto';
import { failureReason, FailureReason, FAILURE_REASONS } from './failure-reason';
import { chinaDay, chinaWeek, dueStamp, quietDelayMs } from './periods';
import { PeopleSelection, ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import type { DeliveryStatus } from './reminder-delivery.entity';
import { reminderKeyPrefix } from './reminder-key';

export const DUE_SOON_MS = 48 * 3600 * 1000;
/** Overdue work is reminded once per due time, and only while it is recent: an old deadline is the digest's job. */
export const OVERDUE_WINDOW_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const BULK_CHUNK = 1000;
export const noKinds = (): Record<ReminderKind, number> => ({
  'due-soon': 0,
  overdue: 0,
  'session-tomorrow': 0,
  digest: 0,
  summary: 0,
  'plan-due': 0,
  'plan-overdue': 0,
  'record-returned': 0,
  'branch-summary': 0,
  'survey-open': 0,
  'survey-closing': 0,
});

export interface DeliveryView {
  id: string;
  kind: ReminderKind;
  status: DeliveryStatus;
  user: { id: string; name: string };
  email: string | null;
  course: { id: string; title: string };
  subjectId: string;
  period: string;
  mailAttempts: number;
  lastError: string | null;
  /** The category of `lastError` an admin can act on (null when nothing failed). */
  failureReason: FailureReason | null;
  sentAt: Date | null;
  updatedAt: Date;
}

/** Deliveries by outcome for the admin page's summary; `waiting` is queued, pending, sending or retrying. */
export interface DeliverySummaryView {
  sent: number;
  inAppOnly: number;
  skipped: number;
  waiting: number;
  failed: number;
  failedByReason: Record<FailureReason, number>;
}

/** One "send reminders now" run as the page follows it: waiting, then how many reminders went to whom. */
export interface ReminderRunView {
  jobId: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  queued: number;
  byKind: Record<ReminderKind, number>;
  /** Distinct people reminded, overall and by kind. */
  people: number;
  peopleByKind: Record<ReminderKind, number>;
  /** Set while quiet hours hold the mails back. */
  delayMs: number;
}

export interface FanOutResult {
  courseId: string;
  /** Reminder jobs added now (0 when everything due was already recorded or queued). */
  queued: number;
  byKind: Record<ReminderKind, number>;
  people: number;
  peopleByKind: Record<ReminderKind, number>;
  /** Milliseconds the jobs wait for the quiet hours to end (0 outside them). */
  delayMs: number;
}

/**
 * Decides who needs which reminder, from the live progress tables, queues one job per reminder (its job id
 * the dedupe key) and records each key in reminder_deliveries (unique). Keys already recorded are not
 * selected, so a second run the same day queues nothing; the send job re-checks live progress and never
 * sends a key twice.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly courses: CoursesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly progress: CourseProgressRepository,
    private readonly activityProgress: ActivityProgressRepository,
    private readonly people: UsersRepository,
    private readonly jobs: JobsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The courses running now (published, not past their grace): one reminders.course job each. */
  async scan(): Promise<number> {
    const now = this.clock.now();
    const courseIds = await this.courses.findRunningIds(new Date(now.getTime() + 2 * DAY_MS), now);
    const at = now.toISOString().slice(0, 16);
    await this.jobs.enqueueBulk('reminders.course', courseIds.map((courseId) => ({ courseId, at })));
    return courseIds.length;
  }

  /** Queues the course run that POST /api/courses/:id/reminders/run asks for; one per course and minute. */
  async requestRun(courseId: string): Promise<{ jobId: string }> {
    const job = await this.jobs.enqueue('reminders.course', { courseId, at: this.clock.now().toISOString().slice(0, 16) });
    return { jobId: job.id as string };
  }

  /** The state and outcome of a run requested for this course (a BullMQ job: Redis, shared by every process). */
  async runStatus(courseId: string, jobId: string): Promise<ReminderRunView> {
    const job = await this.jobs.queue('reminders').getJob(jobId);
    if (!job || job.name !== 'reminders.course' || (job.data as JobPayloads['reminders.course']).courseId !== courseId) {
      throw new NotFoundException({ message: '没有这次提醒任务', code: 'REMINDER_RUN_NOT_FOUND' });
    }
    const state = await job.getState();
    const result = job.returnvalue as FanOutResult | null;
    const finished = state === 'completed' && result;
    return {
      jobId,
      state: finished ? 'done' : state === 'failed' ? 'failed' : state === 'active' ? 'running' : 'waiting',
      queued: finished ? result.queued : 0,
      byKind: finished ? result.byKind : noKinds(),
      people: finished ? (result.people ?? 0) : 0,
      peopleByKind: finished ? (result.peopleByKind ?? noKinds()) : noKinds(),
      delayMs: finished ? result.delayMs : 0,
    };
  }

  /** Deliveries by outcome, and the failed ones by reason; a unit admin counts their unit's people. */
  async deliverySummary(actor: AuthUser): Promise<DeliverySummaryView> {
    const unitId = adminUnitScope(actor);
    const of = unitId ? this.people.idsInUnit(unitId) : null;
    const byStatus = await this.deliveries.countByStatus(of);
    const count = (...statuses: DeliveryStatus[]) => byStatus.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r.count, 0);
    // Failures are few (each is a person an admin should look at): grouped by message, categorized here.
    const failures = await this.deliveries.countFailedByError(of);
    const failedByReason = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
    for (const row of failures) failedByReason[failureReason(row.lastError) ?? 'other'] += row.count;
    return {
      sent: count('sent'),
      inAppOnly: count('in_app_only'),
      skipped: count('skipped'),
      waiting: count('queued', 'pending', 'sending', 'retrying'),
      failed: count('failed'),
      failedByReason,
    };
  }

  async listDeliveries(query: ListDeliveriesQuery, actor: AuthUser): Promise<Page<DeliveryView>> {
    const unitId = adminUnitScope(actor);
    const [rows, total] = await this.deliveries.findPage(
      { status: query.status ?? 'failed', kind: query.kind, of: unitId ? this.people.idsInUnit(unitId) : null },
      { limit: query.pageSize, offset: query.skip },
    );
    const names = await this.people.namesByIds(rows.map((r) => r.userId));
    const titles = await this.courses.titlesByIds(rows.map((r) => r.courseId));
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        user: { id: r.userId, name: names.get(r.userId) ?? '' },
        email: r.email,
        course: { id: r.courseId, title: titles.get(r.courseId) ?? '' },
        subjectId: r.subjectId,
        period: r.period,
        mailAttempts: r.mailAttempts,
        lastError: r.lastError,
        failureReason: failureReason(r.lastError),
        sentAt: r.sentAt,
        updatedAt: r.updatedAt,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async fanOutCourse(courseId: string): Promise<FanOutResult> {
    const now = this.clock.now();
    const byKind = noKinds();
    const delayMs = quietDelayMs(now, this.config.mail.quietHours);
    const course = await this.courses.findById(courseId);
    if (!course || course.status !== 'published') return { courseId, queued: 0, byKind, people: 0, peopleByKind: noKinds(), delayMs };

    const activities = await this.activities.findLive(courseId);

    const jobs: ReminderJob[] = [];
    const tomorrow = chinaDay(new Date(now.getTime() + DAY_MS));
    for (const activity of activities) {
      if (activity.type === 'session') {
        const starts = new Date((activity.settings as SessionSettings).startsAt);
        if (chinaDay(starts) === tomorrow) await this.collect(jobs, 'session-tomorrow', course.id, activity.id, tomorrow, this.learnersNotDone(course.id, activity.id));
        continue;
      }
      if (!activity.required || !activity.dueAt) continue;
      const untilDue = activity.dueAt.getTime() - now.getTime();
      // Overdue reminders only ask for what can still be done: the work must be open for make-up (补学).
      const makeUp = workWindow(activity, course, now).state === 'makeUp';
      const kind: ReminderKind | null =
        untilDue > 0 && untilDue <= DUE_SOON_MS ? 'due-soon' : makeUp && -untilDue <= OVERDUE_WINDOW_MS ? 'overdue' : null;
      if (kind) await this.collect(jobs, kind, course.id, activity.id, dueStamp(activity.dueAt), this.learnersNotDone(course.id, activity.id));
    }

    if (now.getTime() >= course.startsAt.getTime()) {
      const week = chinaWeek(now);
      const rule = behindRule(course, activities.filter((a) => a.required), now);
      // Nobody is behind before anything is expected of them: no digest then.
      if (rule.expectedDone > 0 || rule.overdueIds.length > 0) {
        await this.collect(jobs, 'digest', course.id, course.id, week, {
          among: this.enrollments.userIdsOf(course.id, 'active'),
          within: [this.people.digestReaderIds()],
          without: [this.progress.onTrackIds(course.id, rule.expectedDone, rule.asOf)],
        });
      }
      // The department's admins, and each unit admin whose unit has learners in the course.
      await this.collect(jobs, 'summary', course.id, course.id, week, { among: this.people.summaryReaderIds(this.enrollments.userIdsOf(course.id, 'active')) });
    }

    // Each chunk is recorded in MySQL once its jobs are in the queue, overlapping with adding the next chunk.
    // A crash in between leaves queued jobs without records: the send job records them itself, and a rerun
    // adds them again under the same job ids, which BullMQ ignores.
    // In key order: each bulk INSERT then only ever inserts after the keys it already holds, so a send job
    // waiting on one of them (its own INSERT of the same key) never closes a lock cycle with it.
    jobs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let recording: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < jobs.length; i += BULK_CHUNK) {
      const chunk = jobs.slice(i, i + BULK_CHUNK);
      await this.jobs.enqueueBulk('reminders.send', chunk, delayMs ? { delay: delayMs } : {});
      await recording;
      recording = retryOnLockConflict(() => this.deliveries.recordQueued(chunk));
      for (const j of chunk) byKind[j.kind]++;
    }
    await recording;
    const peopleByKind = noKinds();
    for (const kind of Object.keys(peopleByKind) as ReminderKind[]) peopleByKind[kind] = new Set(jobs.filter((j) => j.kind === kind).map((j) => j.userId)).size;
    return { courseId, queued: jobs.length, byKind, people: new Set(jobs.map((j) => j.userId)).size, peopleByKind, delayMs };
  }

  /** Adds a reminder for each selected person who has none under this key yet. */
  private async collect(
    jobs: ReminderJob[],
    kind: ReminderKind,
    courseId: string,
    subjectId: string,
    period: string,
    people: PeopleSelection,
  ): Promise<void> {
    const prefix = reminderKeyPrefix(kind, subjectId, period);
    for (const userId of await this.deliveries.findUndelivered(prefix, people)) {
      jobs.push({ key: prefix + userId, kind, userId, courseId, subjectId, period });
    }
  }

  /** Active learners who have finished neither the course nor the activity. */
  private learnersNotDone(courseId: string, activityId: string): PeopleSelection {
    return {
      among: this.enrollments.userIdsOf(courseId, 'active'),
      within: [this.people.activeIds()],
      without: [this.progress.completedLearnerIds(courseId), this.activityProgress.completedLearnerIds(activityId)],
    };
  }
}
