import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { ProgressService } from '../progress/progress.service';
import { ReportsRepository } from './reports.repository';

/**
 * Keeps the reports' copies of enrolment status, unit and branch (course_progress.active/unit_id/branch_id)
 * in step with withdrawals and branch moves, which other modules make without the progress engine. Learning
 * progress and enrolments through the course reach the reports at once; these within one interval. Writes only
 * rows that differ, so a repeat with nothing new is a read; a retried run is harmless.
 */
@Injectable()
export class ReportsRefreshProcessor {
  private readonly logger = new Logger(ReportsRefreshProcessor.name);

  constructor(
    private readonly reports: ReportsRepository,
    private readonly progress: ProgressService,
  ) {}

  @JobHandler('reports.refresh')
  async refresh(_repeat: JobPayloads['reports.refresh']): Promise<number> {
    let changed = 0;
    for (const id of await this.reports.publishedCourseIds()) changed += await this.progress.syncMembership(id);
    if (changed) this.logger.log(`reports.refresh: ${changed} learner summaries updated`);
    return changed;
  }
}
