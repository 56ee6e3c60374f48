import { BadRequestException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ActivityRow, CourseRow } from '../access/course-rows';
import { ActivitiesRepository } from './activities.repository';
import { checkPlan, type PlanProblem } from './plan-check';
import { PlanValidators } from './plan-validators';

/**
 * Is a course's plan sound? The checks of plan-check.ts plus what each activity module checks with its own
 * data (registered validators): refused problems on publishing and on every edit of a published course,
 * warnings on publishing.
 */
@Injectable()
export class CoursePlanService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly validators: PlanValidators,
  ) {}

  /** 400 listing every problem when the plan is not sound; `replace` is an activity as it is about to be saved. */
  async assertSound(manager: EntityManager, course: CourseRow, replace?: ActivityRow): Promise<void> {
    let activities: ActivityRow[] = await this.activities.findByCourse(course.id, manager);
    if (replace) activities = [...activities.filter((a) => a.id !== replace.id), replace];
    const found = await this.validators.problems(course, activities, manager);
    const problems = checkPlan(course, activities, { activityProblems: (activity) => found.get(activity.id) ?? [] });
    if (problems.length) {
      throw new BadRequestException({
        message: problems.map((p) => p.message),
        code: 'PLAN_INVALID',
        problems,
      });
    }
  }

  /** Things to fix that do not stop publishing (a required video lesson still without its file). */
  async warnings(course: CourseRow): Promise<PlanProblem[]> {
    return this.validators.warnings(course, await this.activities.findByCourse(course.id));
  }
}
