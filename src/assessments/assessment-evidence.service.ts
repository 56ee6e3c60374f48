import { Injectable } from '@nestjs/common';
import { BranchPlansRepository } from '../branch-plans/branch-plans.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { HandbookRepository } from '../handbook/handbook.repository';
import { RecordCountsRepository } from '../handbook/record-counts.repository';
import { CourseProgressRepository } from '../progress/course-progress.repository';
import { ReflectionsRepository } from '../readings/reflections.repository';
import { SuggestionsRepository } from '../suggestions/suggestions.repository';
import { UsersRepository } from '../users/users.repository';
import { BranchFigures, Indicator, MEASURES, type MeasureKey } from './assessment-scheme';

/** The Beijing calendar year as an instant range [from, to). */
export function beijingYearRange(year: number): { from: Date; to: Date } {
  return { from: new Date(`${year}-01-01T00:00:00+08:00`), to: new Date(`${year + 1}-01-01T00:00:00+08:00`) };
}

/**
 * Collects the figures behind the automatic indicators for a chunk of branches, asking each module that owns
 * them (one query per owner for the whole chunk, and only for the measures the scheme uses): the branches'
 * secretaries from users, their training of the year's courses from progress, accepted and timely records from
 * the handbook, plan items from plans, 优秀心得 from readings, suggestions from suggestions.
 */
@Injectable()
export class AssessmentEvidence {
  constructor(
    private readonly users: UsersRepository,
    private readonly courses: CoursesRepository,
    private readonly progress: CourseProgressRepository,
    private readonly recordCounts: RecordCountsRepository,
    private readonly handbook: HandbookRepository,
    private readonly plans: BranchPlansRepository,
    private readonly reflections: ReflectionsRepository,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  async gather(year: number, branchIds: string[], indicators: Indicator[]): Promise<Map<string, BranchFigures>> {
    const uses = new Set(indicators.flatMap((i) => (i.measure ? [i.measure] : [])));
    const needs = (...measures: MeasureKey[]) => measures.some((m) => uses.has(m));
    const { from, to } = beijingYearRange(year);
    const secretaries = await this.users.secretariesOfBranches(branchIds);
    const people = [...secretaries.values()].flat();
    const courseIds = needs('training.completion', 'training.hours', 'reflections.excellent') ? await this.courses.idsStartingBetween(from, to) : [];
    const onTimeDays = indicators.find((i) => i.measure === 'handbook.onTime')?.target ?? MEASURES['handbook.onTime'].target;
    const [training, accepted, timeliness, plans, excellent, suggestions] = await Promise.all([
      needs('training.completion', 'training.hours') ? this.progress.trainingOf(people, courseIds) : new Map<string, never>(),
      needs('handbook.compliance') ? this.recordCounts.acceptedOf(year, branchIds) : [],
      needs('handbook.onTime') ? this.handbook.timelinessOf(year, branchIds, onTimeDays) : new Map<string, never>(),
      needs('plan.done') ? this.plans.itemsDoneOf(year, branchIds) : new Map<string, never>(),
      needs('reflections.excellent') ? this.reflections.excellentCountsOf(people, courseIds) : new Map<string, number>(),
      needs('suggestions.made') ? this.suggestions.countsByAuthors(people, from, to) : new Map<string, number>(),
    ]);
    const acceptedByBranch = new Map<string, Map<string, number>>();
    for (const row of accepted) {
      const kinds = acceptedByBranch.get(row.branchId) ?? new Map<string, number>();
      kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + row.accepted);
      acceptedByBranch.set(row.branchId, kinds);
    }
    return new Map(
      branchIds.map((branchId) => {
        const ids = secretaries.get(branchId) ?? [];
        const perPerson = (read: (id: string) => number) => ids.reduce((sum, id) => sum + read(id), 0);
        return [
          branchId,
          {
            secretaries: ids.length,
            enrolled: perPerson((id) => training.get(id)?.enrolled ?? 0),
            completed: perPerson((id) => training.get(id)?.completed ?? 0),
            hours: perPerson((id) => training.get(id)?.hours ?? 0),
            accepted: acceptedByBranch.get(branchId) ?? new Map(),
            handedIn: timeliness.get(branchId)?.handedIn ?? 0,
            onTime: timeliness.get(branchId)?.onTime ?? 0,
            planItems: plans.get(branchId)?.items ?? 0,
            planDone: plans.get(branchId)?.done ?? 0,
            excellentReflections: perPerson((id) => excellent.get(id) ?? 0),
            suggestions: perPerson((id) => suggestions.get(id) ?? 0),
          },
        ];
      }),
    );
  }
}
