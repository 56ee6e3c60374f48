import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { ReminderDeliveryService } from './reminder-delivery.service';
import { RemindersService } from './reminders.service';

/** The three reminder jobs: scan (repeating) → one per course → one per reminder. */
@Injectable()
export class RemindersProcessor {
  constructor(
    private readonly reminders: RemindersService,
    private readonly delivery: ReminderDeliveryService,
  ) {}

  @JobHandler('reminders.scan')
  async scan(): Promise<string> {
    return `${await this.reminders.scan()} courses`;
  }

  @JobHandler('reminders.course')
  async course(payload: JobPayloads['reminders.course']) {
    return this.reminders.fanOutCourse(payload.courseId);
  }

  @JobHandler('reminders.send')
  send(payload: JobPayloads['reminders.send'], job: Job): Promise<string> {
    return this.delivery.deliver(payload, { made: job.attemptsMade, max: job.opts.attempts ?? 1 });
  }
}
