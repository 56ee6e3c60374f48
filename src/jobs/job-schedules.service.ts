import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JOB_DEFINITIONS, JOB_SCHEDULES, QUEUES } from './jobs';
import { JobsService } from './jobs.service';

/**
 * Creates the repeating jobs when a worker starts. Upserting by a fixed scheduler id means any number of
 * workers starting at once end with one schedule each, with the interval from the current config. A schedule
 * an earlier version created and this one no longer defines (reports.refresh) is removed, so Redis does not
 * go on enqueueing a job no worker handles.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedules.name);

  constructor(
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const defined = new Set<string>(JOB_SCHEDULES.map((schedule) => schedule.name));
    for (const queueName of QUEUES) {
      const queue = this.jobs.queue(queueName);
      for (const { key } of await queue.getJobSchedulers()) {
        if (defined.has(key)) continue;
        await queue.removeJobScheduler(key);
        this.logger.log(`schedule ${key}: no longer defined, removed`);
      }
    }
    for (const schedule of JOB_SCHEDULES) {
      const definition = JOB_DEFINITIONS[schedule.name];
      if ('cron' in schedule && schedule.cron(this.config) === 'off') {
        // Turned off (e.g. in tests): also drop a schedule an earlier start created.
        await this.jobs.queue(definition.queue).removeJobScheduler(schedule.name);
        this.logger.log(`schedule ${schedule.name}: off`);
        continue;
      }
      const repeat = 'cron' in schedule ? { pattern: schedule.cron(this.config), tz: 'Asia/Shanghai' } : { every: schedule.everySeconds(this.config) * 1000 };
      await this.jobs.queue(definition.queue).upsertJobScheduler(schedule.name, repeat, { name: schedule.name, data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 } });
      this.logger.log(`schedule ${schedule.name}: ${'pattern' in repeat ? `cron "${repeat.pattern}" (China time)` : `every ${repeat.every / 1000} s`}`);
    }
  }
}
