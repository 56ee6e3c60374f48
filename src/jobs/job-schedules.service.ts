import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JOB_DEFINITIONS, JOB_SCHEDULES, QUEUES } from './jobs';
import { JobsService } from './jobs.service';

/**
 * Creates the repeating jobs when a worker starts. Upserting by a fixed scheduler id means any number of
 * workers starting at once end with one schedule each, with the interval from the current config. Schedules
 * Redis still holds but JOB_SCHEDULES no longer names (a job removed in an upgrade) are dropped, so a retired
 * job stops being created for a handler that no longer exists.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedules.name);

  constructor(
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kept = new Set<string>();
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
      kept.add(`${definition.queue}/${schedule.name}`);
      this.logger.log(`schedule ${schedule.name}: ${'pattern' in repeat ? `cron "${repeat.pattern}" (China time)` : `every ${repeat.every / 1000} s`}`);
    }
    await this.dropRetired(kept);
  }

  private async dropRetired(kept: Set<string>): Promise<void> {
    for (const name of QUEUES) {
      const queue = this.jobs.queue(name);
      for (const scheduler of await queue.getJobSchedulers(0, -1)) {
        if (kept.has(`${name}/${scheduler.key}`)) continue;
        await queue.removeJobScheduler(scheduler.key);
        this.logger.log(`schedule ${scheduler.key}: removed (no longer in JOB_SCHEDULES)`);
      }
    }
  }
}
