import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { BranchWorkRemindersService } from './branch-work-reminders.service';
import { ReminderDeliveryService } from './reminder-delivery.service';
import { RemindersService } from './reminders.service';
import { SurveyRemindersService } from './survey-reminders.service';

/** The three reminder jobs: scan (repeating) → one per course (and the branch-work fan-out) → one per reminder. */
@Injectable()
export class RemindersProcessor {
  private readonly logger = new Logger(RemindersProcessor.name);

  constructor(
    private readonly reminders: RemindersService,
    private readonly delivery: ReminderDeliveryService,
    private readonly branchWork: BranchWorkRemindersService,
    private readonly surveys: SurveyRemindersService,
  ) {}

  @JobHandler('reminders.scan')
  async scan(_repeat: JobPayloads['reminders.scan']): Promise<string> {
    const courses = await this.reminders.scan();
    // The branch's year has no course: its reminders are decided here, on the same schedule.
    const branchWork = await this.branchWork.fanOut();
    // Surveys likewise: their reminders belong to a survey, not to a course's run.
    const surveys = await this.surveys.fanOut();
    return `${courses} courses, ${branchWork.queued} branch-work reminders, ${surveys.queued} survey reminders`;
  }

  @JobHandler('reminders.course')
  async course(payload: JobPayloads['reminders.course']) {
    return this.reminders.fanOutCourse(payload.courseId);
  }

  @JobHandler('reminders.send')
  async send(payload: JobPayloads['reminders.send'], job: Job): Promise<string> {
    const outcome = await this.delivery.deliver(payload, { made: job.attemptsMade, max: job.opts.attempts ?? 1, token: job.token });
    if (typeof outcome === 'string') return outcome;
    // Quiet hours: back to the delayed set until they end, without using up one of the job's attempts.
    this.logger.log(`reminders.send job ${job.id} waits ${Math.round(outcome.deferMs / 60_000)} min for the quiet hours to end`);
    await job.moveToDelayed(Date.now() + outcome.deferMs, job.token);
    throw new DelayedError();
  }
}
