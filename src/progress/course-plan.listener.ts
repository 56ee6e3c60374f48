import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { ProgressPlanService } from './progress-plan.service';
import { ProgressService } from './progress.service';

/**
 * Learners' standing follows what the courses module changes, inside its transactions: a changed plan
 * recomputes the course's summaries, changed 学时 are corrected in the ledger, closing freezes the results,
 * and an activity with learners' records cannot be deleted. (Enrolments and moves: ProgressMembershipService.)
 */
@Injectable()
export class CoursePlanListener {
  constructor(
    private readonly progress: ProgressService,
    private readonly plan: ProgressPlanService,
  ) {}

  @OnEventInTransaction('course.planChanged')
  async planChanged({ courseId }: InTransactionEvents['course.planChanged'], manager: EntityManager): Promise<void> {
    await this.plan.recomputeCourse(courseId, manager);
  }

  @OnEventInTransaction('course.dueDatesChanged')
  async dueDatesChanged({ courseId }: InTransactionEvents['course.dueDatesChanged'], manager: EntityManager): Promise<void> {
    await this.plan.recomputeFirstMissingDue(courseId, manager);
  }

  @OnEventInTransaction('activity.creditHoursChanged')
  async creditHoursChanged({ activityId }: InTransactionEvents['activity.creditHoursChanged'], manager: EntityManager): Promise<void> {
    await this.plan.settleCreditHours(manager, activityId);
  }

  /** Learners' records are never deleted with their activity: it can be archived instead. */
  @OnEventInTransaction('activity.deleting')
  async deleting({ activityId }: InTransactionEvents['activity.deleting']): Promise<void> {
    if (await this.progress.hasLearnerRecords(activityId)) {
      throw new ConflictException({ message: '已有学员的学习记录，不能删除，可以归档', code: 'ACTIVITY_HAS_RECORDS' });
    }
  }

  @OnEventInTransaction('course.closing')
  async closing({ courseId }: InTransactionEvents['course.closing'], manager: EntityManager): Promise<void> {
    await this.plan.freeze(manager, courseId);
  }
}
