import { Injectable } from '@nestjs/common';
import type { ActivityRow } from '../access/course-rows';
import { planWarnings, type PlanProblem } from '../courses/plan-check';
import { PlanValidator, type ActivityPlanValidator } from '../courses/plan-validators';
import { VideoFilesRepository } from './video-files.repository';

/** Publishing warns of required video lessons still without their file (learners cannot play them yet). */
@Injectable()
@PlanValidator('video')
export class VideoPlanValidator implements ActivityPlanValidator {
  constructor(private readonly files: VideoFilesRepository) {}

  async warnings(_course: { id: string }, videos: ActivityRow[]): Promise<PlanProblem[]> {
    return planWarnings(videos, await this.files.activityIdsWithFile(videos.map((video) => video.id)));
  }
}
