import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { ProgressService } from '../progress/progress.service';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly progress: ProgressService,
  ) {}

  @JobHandler('reports.refresh')
  async refresh(_repeat: JobPayloads['reports.refresh']): Promise<number> {
    const courses: { id: string }[] = await this.dataSource.query(`SELECT id FROM courses WHERE status = 'published'`);
    let changed = 0;
    for (const { id } of courses) changed += await this.progress.syncMembership(String(id));
    if (changed) this.logger.log(`reports.refresh: ${changed} learner summaries updated`);
    return changed;
  }
}
