import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { retryOnLockConflict } from '../database/lock-retry';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Activity } from '../courses/activity.entity';
import type { SessionSettings } from '../access/activity-settings';
import { Course } from '../courses/course.entity';
import { MailService } from '../mail/mail.service';
import { ActivityLine, renderReminder, ReminderContent } from '../mail/reminder-templates';
import { NotificationsService } from '../notifications/notifications.service';
import { behindRule, behindSql, isBehind } from './behind';
import { Clock, CLOCK } from './clock';
import { chinaDateTime, dueStamp, quietDelayMs } from './periods';
import { stillDoable, workWindow } from '../access/work-window';
import type { ReminderJob } from './reminder-job';

/** Outside BullMQ (no job lock to go by), a `sending` claim this old is taken to be a dead worker's. */
const STALE_CLAIM_MINUTES = 10;
const SUMMARY_BEHIND_LIMIT = 30;

export type DeliveryOutcome = 'sent' | 'in_app_only' | 'skipped' | 'already-handled';
/** Not now: inside the quiet hours, the delivery waits this long (until they end), using none of its attempts. */
export interface Deferral {
  deferMs: number;
}

/**
 * One processing of a send job. `token` is BullMQ's lock token for it: BullMQ hands a job to a new processing
 * only after the previous one lost the job's lock (its worker died or hung), so a delivery left `sending`
 * under another token may be taken over at once; without a token, only after STALE_CLAIM_MINUTES.
 */
export interface DeliveryAttempt {
  made: number;
  max: number;
  token?: string;
}

interface Recipient {
  id: string;
  name: string;
  email: string | null;
  active: number;
  weekly_digest: number;
  role: string;
  unit_id: string | null;
  unit_name: string | null;
}

/**
 * Sends one reminder: claims its delivery row, re-checks live progress (a learner who finished gets nothing),
 * writes the in-app notification (deduplicated by the same key) and mails it when the person has an email.
 * A failure at any step is logged with the job id (the dedupe key) and recorded on the delivery (attempts,
 * last error; `failed` after the last attempt), then rethrown so BullMQ retries with backoff. Nothing is sent
 * inside the quiet hours, whichever way the job got there (a retry's backoff, a stalled job, a promotion).
 */
@Injectable()
export class ReminderDeliveryService {
  private readonly logger = new Logger(ReminderDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(job: ReminderJob, attempt: DeliveryAttempt): Promise<DeliveryOutcome | Deferral> {
    const claim = attempt.token ?? randomUUID();
    const progress = { mailing: false };
    try {
      return await this.attemptDelivery(job, attempt, claim, progress);
    } catch (error) {
      const message = ((error as Error).message ?? String(error)).slice(0, 500);
      const final = attempt.made + 1 >= attempt.max;
      this.logger.warn(`reminders.send job ${job.key} attempt ${attempt.made + 1}/${attempt.max} failed${final ? ' (last attempt)' : ''}: ${message}`);
      await this.recordFailure(job.key, claim, final, progress.mailing, message).catch((recording: Error) =>
        this.logger.error(`reminders.send job ${job.key}: could not record the failure: ${recording.message}`),
      );
      throw error;
    }
  }

  private async attemptDelivery(job: ReminderJob, attempt: DeliveryAttempt, claim: string, progress: { mailing: boolean }): Promise<DeliveryOutcome | Deferral> {
    const quiet = quietDelayMs(this.clock.now(), this.config.mail.quietHours);
    if (quiet > 0) return { deferMs: quiet };
    // The fan-out records its keys in bulk while their jobs already run: this insert may meet the fan-out's
    // on the same key, and a lock conflict there is retried at once (not after the job's minute of backoff).
    await retryOnLockConflict(() =>
      this.dataSource.query(
        `INSERT IGNORE INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
        [job.key, job.kind, job.userId, job.courseId, job.subjectId, job.period],
      ),
    );
    const claimed = await retryOnLockConflict(() =>
      this.dataSource.query(
        `UPDATE reminder_deliveries SET status = 'sending', claim_token = ?, claimed_at = NOW(3)
          WHERE dedupe_key = ? AND (status IN ('pending', 'queued', 'retrying')
             OR (status = 'sending' AND NOT (claim_token <=> ?) AND (? OR claimed_at < NOW(3) - INTERVAL ${STALE_CLAIM_MINUTES} MINUTE)))`,
        [claim, job.key, claim, attempt.token !== undefined],
      ),
    );
    if (claimed.affectedRows !== 1) return 'already-handled';

    const recipient = await this.recipient(job.userId);
    const content = recipient ? await this.compose(job, recipient) : null;
    if (!recipient || !content) {
      await this.finish(job.key, 'skipped');
      return 'skipped';
    }
    const rendered = renderReminder(content);
    await this.notifications.notify([
      { userId: job.userId, kind: `reminder.${job.kind}`, title: rendered.notification.title, body: rendered.notification.body, link: rendered.notification.link, dedupeKey: job.key },
    ]);
    if (!recipient.email) {
      await this.finish(job.key, 'in_app_only');
      return 'in_app_only';
    }
    progress.mailing = true;
    // The same Message-ID on every attempt: should a crash between the server's acceptance and the UPDATE below
    // make a retry send it again, mail clients can tell it is the same message.
    await this.mail.send({ to: recipient.email, subject: rendered.subject, text: rendered.text, html: rendered.html, id: job.key });
    progress.mailing = false;
    await retryOnLockConflict(() =>
      this.dataSource.query(
        `UPDATE reminder_deliveries SET status = 'sent', email = ?, mail_attempts = mail_attempts + 1, last_error = NULL, sent_at = NOW(3) WHERE dedupe_key = ?`,
        [recipient.email, job.key],
      ),
    );
    return 'sent';
  }

  /**
   * Retrying (or failed after the last attempt), on the delivery this attempt holds or one nobody holds yet
   * (a failure before the claim); never over another attempt's claim or a finished delivery.
   */
  private async recordFailure(key: string, claim: string, final: boolean, mailing: boolean, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminder_deliveries SET status = ?, mail_attempts = mail_attempts + ?, last_error = ?
        WHERE dedupe_key = ? AND ((status = 'sending' AND claim_token = ?) OR status IN ('pending', 'queued', 'retrying'))`,
      [final ? 'failed' : 'retrying', mailing ? 1 : 0, message, key, claim],
    );
  }

  private async finish(key: string, status: 'skipped' | 'in_app_only'): Promise<void> {
    await this.dataSource.query(`UPDATE reminder_deliveries SET status = ?, sent_at = NOW(3) WHERE dedupe_key = ?`, [status, key]);
  }

  private async recipient(userId: string): Promise<Recipient | null> {
    const [row] = await this.dataSource.query(
      `SELECT u.id, u.name, u.email, u.active, u.weekly_digest, u.role, u.unit_id, un.name AS unit_name
         FROM users u LEFT JOIN units un ON un.id = u.unit_id WHERE u.id = ?`,
      [userId],
    );
    return row && Number(row.active) === 1 ? (row as Recipient) : null;
  }

  /** What to say, decided now from live progress; null when the reminder is no longer due. */
  private async compose(job: ReminderJob, recipient: Recipient): Promise<ReminderContent | null> {
    const now = this.clock.now();
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: job.courseId });
    if (!course || course.status !== 'published') return null;
    const base = this.config.http.publicUrl;
    const coursePath = `/courses/${course.id}`;

    if (job.kind === 'summary') {
      if (recipient.role !== 'admin' || !Number(recipient.weekly_digest)) return null;
      return this.summary(course, recipient, now);
    }

    const [learner] = await this.dataSource.query(
      `SELECT e.status, COALESCE(cp.completed, 0) AS completed, COALESCE(cp.required_done, 0) AS required_done, COALESCE(cp.credit_hours, 0) AS credit_hours
         FROM enrollments e LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
        WHERE e.course_id = ? AND e.user_id = ?`,
      [course.id, job.userId],
    );
    if (!learner || learner.status !== 'active' || Number(learner.completed) === 1) return null;

    if (job.kind === 'digest') {
      if (!Number(recipient.weekly_digest)) return null;
      const required = await this.dataSource
        .getRepository(Activity)
        .createQueryBuilder('a')
        .where('a.courseId = :courseId AND a.archivedAt IS NULL AND a.required = 1', { courseId: course.id })
        .orderBy('a.dueAt IS NULL', 'ASC')
        .addOrderBy('a.dueAt', 'ASC')
        .addOrderBy('a.position', 'ASC')
        .getMany();
      const done: Array<{ activity_id: string }> = await this.dataSource.query(
        `SELECT activity_id FROM activity_progress WHERE course_id = ? AND user_id = ? AND state = 'completed'`,
        [course.id, job.userId],
      );
      const completed = new Set(done.map((d) => String(d.activity_id)));
      if (!isBehind(behindRule(course, required, now), Number(learner.required_done), completed)) return null;
      // Only what can still be done: overdue work past its make-up window is not asked for.
      const left: ActivityLine[] = required
        .filter((a) => !completed.has(a.id))
        .filter((a) => stillDoable(a, course, now))
        .map((a) => ({ a, window: workWindow(a, course, now) }))
        .map(({ a, window }) => ({
          title: a.title,
          dueAt: a.dueAt ? chinaDateTime(a.dueAt) : null,
          makeUpUntil: window.state === 'makeUp' ? chinaDateTime(window.makeUpUntil!) : null,
          url: `${base}${coursePath}/activities/${a.id}`,
        }));
      if (!left.length) return null;
      return {
        kind: 'digest',
        name: recipient.name,
        courseTitle: course.title,
        requiredDone: Number(learner.required_done),
        requiredTotal: required.length,
        creditHours: Number(learner.credit_hours),
        requiredCreditHours: course.requiredCreditHours,
        left,
        url: `${base}${coursePath}`,
        path: coursePath,
      };
    }

    const activity = await this.dataSource.getRepository(Activity).findOneBy({ id: job.subjectId, courseId: course.id });
    if (!activity || activity.archivedAt) return null;
    const [state] = await this.dataSource.query(`SELECT state FROM activity_progress WHERE activity_id = ? AND user_id = ?`, [activity.id, job.userId]);
    if (state?.state === 'completed') return null;
    const path = `${coursePath}/activities/${activity.id}`;
    const common = { name: recipient.name, courseTitle: course.title, activityTitle: activity.title, url: `${base}${path}`, path };

    if (job.kind === 'session-tomorrow') {
      const settings = activity.settings as SessionSettings;
      return {
        kind: 'session-tomorrow',
        ...common,
        startsAt: chinaDateTime(new Date(settings.startsAt)),
        endsAt: chinaDateTime(new Date(settings.endsAt)),
        location: settings.location,
        speaker: settings.speaker ?? null,
      };
    }
    // A moved deadline is a different reminder (a new key); this one no longer applies.
    if (!activity.dueAt || dueStamp(activity.dueAt) !== job.period) return null;
    const overdue = activity.dueAt.getTime() <= now.getTime();
    if ((job.kind === 'overdue') !== overdue) return null;
    if (job.kind === 'due-soon') return { kind: job.kind, ...common, dueAt: chinaDateTime(activity.dueAt) };
    // Overdue: only while it can still be made up (补学), saying until when.
    const window = workWindow(activity, course, now);
    if (window.state !== 'makeUp') return null;
    return { kind: 'overdue', ...common, dueAt: chinaDateTime(activity.dueAt), makeUpUntil: chinaDateTime(window.makeUpUntil!) };
  }

  /** Completion by branch and who is behind: the unit's for a unit admin, everyone's for the department. */
  private async summary(course: Course, admin: Recipient, now: Date): Promise<ReminderContent> {
    const unitFilter = admin.unit_id ? 'AND u.unit_id = ?' : '';
    const unitParams = admin.unit_id ? [admin.unit_id] : [];
    const branches: Array<{ name: string | null; enrolled: string; completed: string }> = await this.dataSource.query(
      `SELECT b.name, COUNT(*) AS enrolled, SUM(COALESCE(cp.completed, 0)) AS completed
         FROM enrollments e JOIN users u ON u.id = e.user_id
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
        WHERE e.course_id = ? AND e.status = 'active' ${unitFilter}
        GROUP BY b.id, b.name ORDER BY b.name`,
      [course.id, ...unitParams],
    );
    const required = await this.dataSource.getRepository(Activity).find({ where: { courseId: course.id, required: true }, select: { id: true, dueAt: true, archivedAt: true } });
    const live = required.filter((a) => !a.archivedAt);
    const behind = behindSql(behindRule(course, live, now));
    const behindFrom = `FROM enrollments e JOIN users u ON u.id = e.user_id
         LEFT JOIN branches b ON b.id = u.branch_id
         LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
        WHERE e.course_id = ? AND e.status = 'active' AND COALESCE(cp.completed, 0) = 0 ${unitFilter} AND ${behind.sql}`;
    const behindRows: Array<{ name: string; branch: string | null; required_done: string }> = await this.dataSource.query(
      `SELECT u.name, b.name AS branch, COALESCE(cp.required_done, 0) AS required_done ${behindFrom}
        ORDER BY COALESCE(cp.required_done, 0), u.name LIMIT ${SUMMARY_BEHIND_LIMIT}`,
      [course.id, ...unitParams, ...behind.params],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${behindFrom}`, [course.id, ...unitParams, ...behind.params]);
    const enrolled = branches.reduce((sum, b) => sum + Number(b.enrolled), 0);
    const completed = branches.reduce((sum, b) => sum + Number(b.completed), 0);
    const path = `/reports/courses/${course.id}`;
    return {
      kind: 'summary',
      name: admin.name,
      courseTitle: course.title,
      scope: admin.unit_id ? (admin.unit_name ?? '本单位') : '全校',
      enrolled,
      completed,
      branches: branches.map((b) => ({ name: b.name ?? '未分支部', enrolled: Number(b.enrolled), completed: Number(b.completed) })),
      behind: behindRows.map((r) => ({ name: r.name, branch: r.branch ?? '未分支部', requiredDone: Number(r.required_done), requiredTotal: live.length })),
      behindTotal: Number(total),
      url: `${this.config.http.publicUrl}${path}`,
      path,
    };
  }
}
