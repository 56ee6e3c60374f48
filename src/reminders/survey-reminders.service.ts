import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CoursesRepository } from '../courses/courses.repository';
import type { Subquery } from '../database/subquery';
import { retryOnLockConflict } from '../database/lock-retry';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { JobsService } from '../jobs/jobs.service';
import { NO_COURSE, SURVEY_REMINDER_KINDS, type ReminderJob, type ReminderKind } from '../jobs/reminder-job';
import type { ReminderContent } from '../mail/reminder-templates';
import type { Survey } from '../surveys/survey.entity';
import { SurveysRepository } from '../surveys/surveys.repository';
import { UsersRepository, type ReminderRecipient } from '../users/users.repository';
import { Clock, CLOCK } from './clock';
import { chinaDateTime, dueStamp, quietDelayMs } from './periods';
import { ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import { reminderKeyPrefix } from './reminder-key';

const DAY_MS = 24 * 3600 * 1000;
/** Those who have not answered are reminded once, this long before the survey closes. */
export const SURVEY_CLOSING_MS = 2 * DAY_MS;
/** A survey that opened this recently is announced; one found later (the scan was down) only gets the closing reminder. */
export const SURVEY_OPEN_WINDOW_MS = 3 * DAY_MS;
const BULK_CHUNK = 1000;

export function isSurveyKind(kind: ReminderKind): boolean {
  return (SURVEY_REMINDER_KINDS as readonly string[]).includes(kind);
}

export interface SurveyFanOut {
  queued: number;
  byKind: Partial<Record<ReminderKind, number>>;
  delayMs: number;
}

/**
 * 调查研究 reminders, through the same deliveries as the training reminders (one dedupe key per survey, kind and
 * person, recorded in reminder_deliveries, so a rerun scan or a retried job never sends twice; quiet hours;
 * in-app and mail). Named surveys and questionnaires required before a course's certificate (anonymous ones
 * too: survey_respondents says who answered, never what) remind those they address who have not answered:
 * once when the survey opens, once two days before it closes. Checked again at send time: an answer given
 * meanwhile, a withdrawal or a closed survey sends nothing.
 */
@Injectable()
export class SurveyRemindersService {
  constructor(
    private readonly surveys: SurveysRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly courses: CoursesRepository,
    private readonly people: UsersRepository,
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly jobs: JobsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Decides who needs which survey reminder now and queues one send job each (keys already recorded are left out). */
  async fanOut(): Promise<SurveyFanOut> {
    const now = this.clock.now();
    const jobs: ReminderJob[] = [];
    for (const survey of await this.surveys.findRemindable(now)) {
      const closing = survey.closesAt.getTime() - now.getTime() <= SURVEY_CLOSING_MS;
      const fresh = now.getTime() - survey.opensAt.getTime() < SURVEY_OPEN_WINDOW_MS;
      // A survey already near its close is reminded as closing only: two reminders at once would say the same.
      const kind: ReminderKind | null = closing ? 'survey-closing' : fresh ? 'survey-open' : null;
      if (!kind) continue;
      const period = dueStamp(kind === 'survey-closing' ? survey.closesAt : survey.opensAt);
      const prefix = reminderKeyPrefix(kind, survey.id, period);
      const userIds = await this.deliveries.findUndelivered(prefix, { among: this.addressed(survey), without: [this.surveys.respondentIds(survey.id)] });
      for (const userId of userIds) jobs.push({ key: prefix + userId, kind, userId, courseId: survey.courseId ?? NO_COURSE, subjectId: survey.id, period });
    }

    const delayMs = quietDelayMs(now, this.config.mail.quietHours);
    const byKind: Partial<Record<ReminderKind, number>> = {};
    jobs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 0; i < jobs.length; i += BULK_CHUNK) {
      const chunk = jobs.slice(i, i + BULK_CHUNK);
      await this.jobs.enqueueBulk('reminders.send', chunk, delayMs ? { delay: delayMs } : {});
      await retryOnLockConflict(() => this.deliveries.recordQueued(chunk));
      for (const j of chunk) byKind[j.kind] = (byKind[j.kind] ?? 0) + 1;
    }
    return { queued: jobs.length, byKind, delayMs };
  }

  /** What to say, decided at send time; null when the reminder no longer applies. */
  async compose(job: ReminderJob, recipient: ReminderRecipient): Promise<ReminderContent | null> {
    const now = this.clock.now();
    const survey = await this.surveys.findById(job.subjectId);
    if (!survey || now < survey.opensAt || now >= survey.closesAt) return null;
    if (survey.anonymous && !survey.certificateCourseId) return null;
    if (dueStamp(job.kind === 'survey-closing' ? survey.closesAt : survey.opensAt) !== job.period) return null;
    if ((await this.surveys.answeredBy(recipient.id, [survey.id])).has(survey.id)) return null;
    if (!(await this.isAddressed(survey, recipient))) return null;
    const course = survey.courseId ? await this.courses.findById(survey.courseId) : null;
    const path = `/surveys/${survey.id}`;
    return {
      kind: job.kind === 'survey-closing' ? 'survey-closing' : 'survey-open',
      name: recipient.name,
      surveyTitle: survey.title,
      courseTitle: course?.title ?? null,
      requiredForCertificate: survey.certificateCourseId !== null,
      closesAt: chinaDateTime(survey.closesAt),
      url: `${this.config.http.publicUrl}${path}`,
      path,
    };
  }

  /** Whom the survey asks (`user_id`): the course's active learners, or the active secretaries of a unit or of all. */
  private addressed(survey: Survey): Subquery {
    if (survey.audienceKind === 'course') return this.enrollments.userIdsOf(survey.courseId!, 'active');
    return this.people.learnerUserIds(survey.audienceKind === 'unit' ? { unitIds: [survey.unitId!] } : undefined);
  }

  private async isAddressed(survey: Survey, recipient: ReminderRecipient): Promise<boolean> {
    if (survey.audienceKind === 'course') return (await this.enrollments.statusOf(survey.courseId!, recipient.id)) === 'active';
    if (recipient.role !== 'secretary') return false;
    return survey.audienceKind === 'all' || recipient.unitId === survey.unitId;
  }
}
