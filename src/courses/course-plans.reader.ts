import { Injectable } from '@nestjs/common';
import type { Activity } from './activity.entity';
import { ActivitiesRepository } from './activities.repository';
import type { Section } from './section.entity';
import { SectionsRepository } from './sections.repository';

/** A course's plan as learners see it: its sections, and its activities not archived, in plan order. */
export interface CoursePlan {
  sections: Section[];
  activities: Activity[];
}

/** The plans of several courses at once (two queries whatever their number), for views across courses. */
@Injectable()
export class CoursePlansReader {
  constructor(
    private readonly sections: SectionsRepository,
    private readonly activities: ActivitiesRepository,
  ) {}

  async livePlansOf(courseIds: string[]): Promise<Map<string, CoursePlan>> {
    const [sections, activities] = await Promise.all([this.sections.findByCourses(courseIds), this.activities.findByCourses(courseIds)]);
    return new Map(
      courseIds.map((id) => {
        const courseSections = sections.get(id) ?? [];
        const order = new Map(courseSections.map((section, i) => [section.id, i]));
        // By section, then by place in it (findByCourses gives the latter, and the sort is stable).
        const live = (activities.get(id) ?? []).filter((a) => a.archivedAt === null && order.has(a.sectionId));
        live.sort((a, b) => order.get(a.sectionId)! - order.get(b.sectionId)!);
        return [id, { sections: courseSections, activities: live }];
      }),
    );
  }
}
