import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { AssessmentRoundsService } from './assessment-rounds.service';

/** Assessment rounds in the worker: one job lists the branches, chunk jobs (any worker) count their evidence. */
@Injectable()
export class AssessmentsProcessor {
  constructor(private readonly rounds: AssessmentRoundsService) {}

  @JobHandler('assessments.round')
  plan(payload: JobPayloads['assessments.round'], job: Job) {
    return this.rounds.plan(payload, job);
  }

  @JobHandler('assessments.chunk')
  countChunk(payload: JobPayloads['assessments.chunk'], job: Job) {
    return this.rounds.countChunk(payload, job);
  }
}
