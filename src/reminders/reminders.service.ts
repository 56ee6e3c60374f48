import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Activity } from '../courses/activity.entity';
import type { SessionSettings } from '../access/activity-settings';
import { Course } from '../courses/course.entity';
import type { JobPayloads } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import { retryOnLockConflict } from '../database/lock-retry';
import { behindRule, behindSql } from './behind';
import { Clock, CLOCK } from './clock';
import { workWindow } from '../access/work-window';
import { chinaDay, chinaWeek, dueStamp, quietDelayMs } from './periods';
import type { DeliveryStatus, ReminderKind } from './reminder-delivery.entity';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import type { ListDeliveriesQuery } from './dto/reminders.dto';
import { reminderKeyPrefix, ReminderJob } from './reminder-job';
import { failureReason, FailureReason, FAILURE_REASONS } from './failure-reason';

export const DUE_SOON_MS = 48 * 3600 * 1000;
/** Overdue work is reminded once per due time, and only while it is recent: an old deadline is the digest's job. */
export const OVERDUE_WINDOW_MS = 7 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const BULK_CHUNK = 1000;
const noKinds = (): Record<ReminderKind, number> => ({ 'due-soon': 0, overdue: 0, 'session-tomorrow': 0, digest: 0, summary: 0 });

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The courses running now (published, not past their grace): one reminders.course job each. */
  async scan(): Promise<number> {
    const now = this.clock.now();
    const courses: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM courses WHERE status = 'published' AND starts_at <= ? AND DATE_ADD(ends_at, INTERVAL grace_days DAY) >= ?`,
      [new Date(now.getTime() + 2 * DAY_MS), now],
    );
    const at = now.toISOString().slice(0, 16);
    await this.jobs.enqueueBulk('reminders.course', courses.map((c) => ({ courseId: String(c.id), at })));
    return courses.length;
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
    const scope = unitId ? 'JOIN users u ON u.id = d.user_id AND u.unit_id = ?' : '';
    const params = unitId ? [unitId] : [];
    const byStatus: Array<{ status: DeliveryStatus; n: string }> = await this.dataSource.query(
      `SELECT d.status, COUNT(*) AS n FROM reminder_deliveries d ${scope} GROUP BY d.status`,
      params,
    );
    const count = (...statuses: DeliveryStatus[]) => byStatus.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    // Failures are few (each is a person an admin should look at): grouped by message, categorized here.
    const failures: Array<{ last_error: string | null; n: string }> = await this.dataSource.query(
      `SELECT d.last_error, COUNT(*) AS n FROM reminder_deliveries d ${scope} WHERE d.status = 'failed' GROUP BY d.last_error`,
      params,
    );
    const failedByReason = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<FailureReason, number>;
    for (const row of failures) failedByReason[failureReason(row.last_error) ?? 'other'] += Number(row.n);
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
    const where = ['d.status = ?'];
    const params: unknown[] = [query.status ?? 'failed'];
    if (query.kind) {
      where.push('d.kind = ?');
      params.push(query.kind);
    }
    const unitId = adminUnitScope(actor);
    if (unitId) {
      where.push('u.unit_id = ?');
      params.push(unitId);
    }
    const from = `FROM reminder_deliveries d JOIN users u ON u.id = d.user_id JOIN courses c ON c.id = d.course_id WHERE ${where.join(' AND ')}`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT d.id, d.kind, d.status, d.user_id, u.name AS user_name, d.email, d.course_id, c.title AS course_title, d.subject_id, d.period,
              d.mail_attempts, d.last_error, d.sent_at, d.updated_at
       ${from} ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?`,
      [...params, query.pageSize, query.skip],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from}`, params);
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        kind: r.kind as ReminderKind,
        status: r.status as DeliveryStatus,
        user: { id: String(r.user_id), name: String(r.user_name) },
        email: (r.email as string | null) ?? null,
        course: { id: String(r.course_id), title: String(r.course_title) },
        subjectId: String(r.subject_id),
        period: String(r.period),
        mailAttempts: Number(r.mail_attempts),
        lastError: (r.last_error as string | null) ?? null,
        failureReason: failureReason((r.last_error as string | null) ?? null),
        sentAt: (r.sent_at as Date | null) ?? null,
        updatedAt: r.updated_at as Date,
      })),
      total: Number(total),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async fanOutCourse(courseId: string): Promise<FanOutResult> {
    const now = this.clock.now();
    const byKind = noKinds();
    const delayMs = quietDelayMs(now, this.config.mail.quietHours);
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: courseId });
    if (!course || course.status !== 'published') return { courseId, queued: 0, byKind, people: 0, peopleByKind: noKinds(), delayMs };

    const activities = await this.dataSource
      .getRepository(Activity)
      .createQueryBuilder('a')
      .where('a.courseId = :courseId AND a.archivedAt IS NULL', { courseId })
      .getMany();

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
      const behind = behindSql(behindRule(course, activities.filter((a) => a.required), now));
      await this.collect(jobs, 'digest', course.id, course.id, week, {
        sql: `SELECT e.user_id FROM enrollments e
                JOIN users u ON u.id = e.user_id AND u.active = 1 AND u.weekly_digest = 1
                LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
               WHERE e.course_id = ? AND e.status = 'active' AND COALESCE(cp.completed, 0) = 0 AND ${behind.sql}`,
        params: [course.id, ...behind.params],
      });
      // The department's admins, and each unit admin whose unit has learners in the course.
      await this.collect(jobs, 'summary', course.id, course.id, week, {
        sql: `SELECT u.id AS user_id FROM users u
               WHERE u.role = 'admin' AND u.active = 1 AND u.weekly_digest = 1
                 AND (u.unit_id IS NULL OR u.unit_id IN (
                   SELECT DISTINCT l.unit_id FROM enrollments e JOIN users l ON l.id = e.user_id
                    WHERE e.course_id = ? AND e.status = 'active' AND l.unit_id IS NOT NULL))`,
        params: [course.id],
      });
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
      recording = retryOnLockConflict(() =>
        this.dataSource.query(
          `INSERT IGNORE INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status) VALUES ${chunk.map(() => `(?, ?, ?, ?, ?, ?, 'queued')`).join(', ')}`,
          chunk.flatMap((j) => [j.key, j.kind, j.userId, j.courseId, j.subjectId, j.period]),
        ),
      );
      for (const j of chunk) byKind[j.kind]++;
    }
    await recording;
    const peopleByKind = noKinds();
    for (const kind of Object.keys(peopleByKind) as ReminderKind[]) peopleByKind[kind] = new Set(jobs.filter((j) => j.kind === kind).map((j) => j.userId)).size;
    return { courseId, queued: jobs.length, byKind, people: new Set(jobs.map((j) => j.userId)).size, peopleByKind, delayMs };
  }

  /** Adds a reminder for each selected person who has none under this key yet. */
  private async collect(jobs: ReminderJob[], kind: ReminderKind, courseId: string, subjectId: string, period: string, select: { sql: string; params: unknown[] }): Promise<void> {
    const prefix = reminderKeyPrefix(kind, subjectId, period);
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      `SELECT s.user_id FROM (${select.sql}) s LEFT JOIN reminder_deliveries d ON d.dedupe_key = CONCAT(?, s.user_id) WHERE d.id IS NULL`,
      [...select.params, prefix],
    );
    for (const { user_id } of rows) jobs.push({ key: prefix + user_id, kind, userId: String(user_id), courseId, subjectId, period });
  }

  /** Active learners who have finished neither the course nor the activity. */
  private learnersNotDone(courseId: string, activityId: string): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT e.user_id FROM enrollments e
              JOIN users u ON u.id = e.user_id AND u.active = 1
              LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
              LEFT JOIN activity_progress ap ON ap.activity_id = ? AND ap.user_id = e.user_id
             WHERE e.course_id = ? AND e.status = 'active' AND COALESCE(cp.completed, 0) = 0
               AND (ap.state IS NULL OR ap.state <> 'completed')`,
      params: [activityId, courseId],
    };
  }
}
