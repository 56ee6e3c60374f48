import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { SessionSettings } from '../access/activity-settings';
import type { Course } from '../courses/course.entity';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { stillDoable, workWindow } from '../access/work-window';
import { retryOnLockConflict } from '../database/lock-retry';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import type { ReminderJob } from '../jobs/reminder-job';
import { MailService } from '../mail/mail.service';
import { ActivityLine, renderReminder, ReminderContent } from '../mail/reminder-templates';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgRepository } from '../org/org.repository';
import { ActivityProgressRepository } from '../progress/activity-progress.repository';
import { CourseProgressRepository } from '../progress/course-progress.repository';
import { WeeklySummaryRepository } from '../reports/weekly-summary.repository';
import { UsersRepository, type ReminderRecipient } from '../users/users.repository';
import { behindRule, isBehind } from './behind';
import { BranchWorkRemindersService, isBranchWorkKind } from './branch-work-reminders.service';
import { Clock, CLOCK } from './clock';
import { chinaDateTime, dueStamp, quietDelayMs } from './periods';
import { ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import { isSurveyKind, SurveyRemindersService } from './survey-reminders.service';

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
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly courses: CoursesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly progress: CourseProgressRepository,
    private readonly activityProgress: ActivityProgressRepository,
    private readonly people: UsersRepository,
    private readonly org: OrgRepository,
    private readonly weeklySummary: WeeklySummaryRepository,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly branchWork: BranchWorkRemindersService,
    private readonly surveys: SurveyRemindersService,
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
      await this.deliveries.recordFailure(job.key, claim, { final, mailed: progress.mailing, message }).catch((recording: Error) =>
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
    await retryOnLockConflict(() => this.deliveries.recordPending(job));
    const claimed = await retryOnLockConflict(() => this.deliveries.claim(job.key, claim, attempt.token !== undefined));
    if (!claimed) return 'already-handled';

    const recipient = await this.people.findActiveRecipient(job.userId);
    const content = recipient ? await this.compose(job, recipient) : null;
    if (!recipient || !content) {
      await this.deliveries.finish(job.key, 'skipped');
      return 'skipped';
    }
    const rendered = renderReminder(content);
    await this.notifications.notify([
      { userId: job.userId, kind: `reminder.${job.kind}`, title: rendered.notification.title, body: rendered.notification.body, link: rendered.notification.link, dedupeKey: job.key },
    ]);
    if (!recipient.email) {
      await this.deliveries.finish(job.key, 'in_app_only');
      return 'in_app_only';
    }
    progress.mailing = true;
    // The same Message-ID on every attempt: should a crash between the server's acceptance and the UPDATE below
    // make a retry send it again, mail clients can tell it is the same message.
    await this.mail.send({ to: recipient.email, subject: rendered.subject, text: rendered.text, html: rendered.html, id: job.key });
    progress.mailing = false;
    const email = recipient.email;
    await retryOnLockConflict(() => this.deliveries.markSent(job.key, email));
    return 'sent';
  }

  /** What to say, decided now from live progress; null when the reminder is no longer due. */
  private async compose(job: ReminderJob, recipient: ReminderRecipient): Promise<ReminderContent | null> {
    if (isBranchWorkKind(job.kind)) return this.branchWork.compose(job, recipient);
    if (isSurveyKind(job.kind)) return this.surveys.compose(job, recipient);
    const now = this.clock.now();
    const course = await this.courses.findById(job.courseId);
    if (!course || course.status !== 'published') return null;
    const base = this.config.http.publicUrl;
    const coursePath = `/courses/${course.id}`;

    if (job.kind === 'summary') {
      if (recipient.role !== 'admin' || !recipient.weeklyDigest) return null;
      return this.summary(course, recipient, now);
    }

    if ((await this.enrollments.statusOf(course.id, job.userId)) !== 'active') return null;
    // Zeros before any progress.
    const learner = (await this.progress.figuresOf(course.id, [job.userId])).get(job.userId) ?? { completed: false, requiredDone: 0, creditHours: 0 };
    if (learner.completed) return null;

    if (job.kind === 'digest') {
      if (!recipient.weeklyDigest) return null;
      const required = await this.activities.findRequiredByDue(course.id);
      const completed = await this.activityProgress.completedActivityIds(course.id, job.userId);
      if (!isBehind(behindRule(course, required, now), learner.requiredDone, completed)) return null;
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
        requiredDone: learner.requiredDone,
        requiredTotal: required.length,
        creditHours: learner.creditHours,
        requiredCreditHours: course.requiredCreditHours,
        left,
        url: `${base}${coursePath}`,
        path: coursePath,
      };
    }

    const activity = await this.activities.findInCourse(job.subjectId, course.id);
    if (!activity || activity.archivedAt) return null;
    if (await this.activityProgress.existsCompleted(activity.id, job.userId)) return null;
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
  private async summary(course: Course, admin: ReminderRecipient, now: Date): Promise<ReminderContent> {
    const branches = await this.weeklySummary.completionByBranch(course.id, admin.unitId);
    const live = (await this.activities.findLive(course.id)).filter((a) => a.required);
    const behind = await this.weeklySummary.behind(course.id, admin.unitId, behindRule(course, live, now), SUMMARY_BEHIND_LIMIT);
    const enrolled = branches.reduce((sum, b) => sum + b.enrolled, 0);
    const completed = branches.reduce((sum, b) => sum + b.completed, 0);
    const path = `/reports/courses/${course.id}`;
    return {
      kind: 'summary',
      name: admin.name,
      courseTitle: course.title,
      scope: admin.unitId ? ((await this.org.unitName(admin.unitId)) ?? '本单位') : '全校',
      enrolled,
      completed,
      branches: branches.map((b) => ({ name: b.name ?? '未分支部', enrolled: b.enrolled, completed: b.completed })),
      behind: behind.learners.map((r) => ({ name: r.name, branch: r.branch ?? '未分支部', requiredDone: r.requiredDone, requiredTotal: live.length })),
      behindTotal: behind.total,
      url: `${this.config.http.publicUrl}${path}`,
      path,
    };
  }
}
