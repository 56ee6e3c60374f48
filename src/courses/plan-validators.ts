import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { ActivityRow, ActivityType, CourseRow } from '../access/course-rows';
import type { PlanFieldProblem, PlanProblem } from './plan-check';

/**
 * What an activity module checks of its activities when a course's plan is checked, with data only it owns
 * (the quiz bank, the uploaded video files). The courses module sits below those modules and cannot import
 * them: each registers its check with @PlanValidator(type) on a provider, found at start-up.
 */
export interface ActivityPlanValidator {
  /** Problems that refuse publishing, by activity id (the live activities of the validator's type). */
  problems?(course: CourseRow, activities: ActivityRow[], manager: EntityManager): Promise<Map<string, PlanFieldProblem[]>>;
  /** What publishing does not refuse but the editor should hear of. */
  warnings?(course: CourseRow, activities: ActivityRow[]): Promise<PlanProblem[]>;
}

/** Marks a provider implementing ActivityPlanValidator for the activities of one type. */
export const PlanValidator = DiscoveryService.createDecorator<ActivityType>();

@Injectable()
export class PlanValidators implements OnModuleInit {
  private readonly validators: { type: ActivityType; validator: ActivityPlanValidator }[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: PlanValidator.KEY })) {
      const type = this.discovery.getMetadataByDecorator(PlanValidator, wrapper);
      if (type && wrapper.instance) this.validators.push({ type, validator: wrapper.instance as ActivityPlanValidator });
    }
  }

  /** Every registered module's problems with the live activities of its type, by activity id. */
  async problems(course: CourseRow, activities: ActivityRow[], manager: EntityManager): Promise<Map<string, PlanFieldProblem[]>> {
    const all = new Map<string, PlanFieldProblem[]>();
    for (const { type, validator } of this.validators) {
      const own = activities.filter((a) => a.type === type && !a.archivedAt);
      if (!own.length || !validator.problems) continue;
      for (const [activityId, problems] of await validator.problems(course, own, manager)) {
        all.set(activityId, [...(all.get(activityId) ?? []), ...problems]);
      }
    }
    return all;
  }

  async warnings(course: CourseRow, activities: ActivityRow[]): Promise<PlanProblem[]> {
    const all: PlanProblem[] = [];
    for (const { type, validator } of this.validators) {
      const own = activities.filter((a) => a.type === type && !a.archivedAt);
      if (own.length && validator.warnings) all.push(...(await validator.warnings(course, own)));
    }
    return all;
  }
}
