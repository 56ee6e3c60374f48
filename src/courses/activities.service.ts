import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CourseAccessService } from '../access/course-access.service';
import { assertOpen } from '../access/course-open';
import type { ActivityRow, CourseRow } from '../access/course-rows';
import type { AuthUser } from '../common/auth-user';
import { beijingTime, inputException, problem, type InputProblem } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import type { InTransactionEvents } from '../events/event-map';
import { ActivitiesRepository } from './activities.repository';
import { parseActivityUpdate, parseNewActivity } from './activity-input';
import type { Activity } from './activity.entity';
import type { Course } from './course.entity';
import { CoursePlanService } from './course-plan.service';
import { CoursesRepository } from './courses.repository';
import { ActivityView, toActivityView } from './courses.service';
import { SectionsRepository } from './sections.repository';

/**
 * Activities (学习任务) of the five types. Changes to a published course keep every learner's progress:
 * the plan is re-checked, summaries are recomputed set-based, and changed 学时 are corrected in the ledger.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    private readonly activities: ActivitiesRepository,
    private readonly sections: SectionsRepository,
    private readonly courses: CoursesRepository,
    private readonly access: CourseAccessService,
    private readonly plan: CoursePlanService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async create(courseId: string, body: Record<string, unknown>, actor: AuthUser): Promise<ActivityView> {
    const course = await this.access.edit(courseId, actor);
    assertOpen(course);
    const { type, common, settings } = parseNewActivity(body);
    await this.assertSection(course.id, common.sectionId);
    const activity = this.activities.build({
      courseId,
      sectionId: common.sectionId,
      type,
      title: common.title,
      required: common.required,
      creditHours: common.creditHours,
      opensAt: common.opensAt ? new Date(common.opensAt) : null,
      dueAt: common.dueAt ? new Date(common.dueAt) : null,
      position: common.position ?? (await this.activities.nextPosition(common.sectionId)),
      settings,
      archivedAt: null,
      contentKey: null,
    });
    assertDates(course, activity);
    const saved = await this.transactions.run(async (manager) => {
      if (course.status === 'published') await this.plan.assertSound(manager, course, activity);
      const row = await this.activities.save(activity, manager);
      if (activity.required && course.status !== 'draft') await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: course.id });
      return row;
    });
    return toActivityView(saved, false);
  }

  async get(id: string, actor: AuthUser): Promise<ActivityView> {
    const { activity, role } = await this.access.activityView(id, actor);
    return toActivityView(activity, role === 'learner');
  }

  async update(id: string, body: Record<string, unknown>, actor: AuthUser): Promise<ActivityView> {
    const { course, activity } = await this.access.activityEdit(id, actor);
    assertOpen(course);
    // Checked once outside (a clear 400 before any lock), then applied to the locked row.
    const { common } = parseActivityUpdate(activity.type, activity.settings, body);
    if (common.sectionId !== undefined) await this.assertSection(course.id, common.sectionId);
    const next = await this.transactions.run(async (manager) => {
      // Two editors at once, or an edit racing the closing: each works on the row as the other left it.
      const { course: current, activity: before } = await this.lockForEdit(manager, course.id, id);
      const { settings } = parseActivityUpdate(before.type, before.settings, body);
      const changed: Activity = { ...before };
      if (common.sectionId !== undefined) changed.sectionId = common.sectionId;
      if (common.title !== undefined) changed.title = common.title;
      if (common.required !== undefined) changed.required = common.required;
      if (common.creditHours !== undefined) changed.creditHours = common.creditHours;
      if (common.opensAt !== undefined) changed.opensAt = common.opensAt ? new Date(common.opensAt) : null;
      if (common.dueAt !== undefined) changed.dueAt = common.dueAt ? new Date(common.dueAt) : null;
      if (common.position !== undefined) changed.position = common.position;
      if (settings) changed.settings = settings;
      assertDates(current, changed);
      if (current.status === 'published') await this.plan.assertSound(manager, current, changed);
      await this.activities.save(changed, manager);
      await this.afterPlanChange(manager, current, before, changed);
      return changed;
    });
    await this.events.emit('activity.changed', { activityId: next.id, courseId: next.courseId, type: next.type });
    return toActivityView(next, false);
  }

  /** The course (shared lock, so it cannot close meanwhile) and the activity (exclusive lock), re-read. */
  private async lockForEdit(manager: EntityManager, courseId: string, activityId: string): Promise<{ course: Course; activity: Activity }> {
    const course = await this.courses.lockShared(courseId, manager);
    assertOpen(course);
    const activity = await this.activities.lockForUpdate(activityId, manager);
    return { course, activity };
  }

  /** Archived activities keep their learner records but stop counting; unarchiving brings them back. */
  async setArchived(id: string, archived: boolean, actor: AuthUser): Promise<ActivityView> {
    const { course } = await this.access.activityEdit(id, actor);
    assertOpen(course);
    const next = await this.transactions.run(async (manager) => {
      const { course: current, activity: before } = await this.lockForEdit(manager, course.id, id);
      if (Boolean(before.archivedAt) === archived) return before;
      const changed: Activity = { ...before, archivedAt: archived ? new Date() : null };
      if (current.status === 'published') await this.plan.assertSound(manager, current, changed);
      await this.activities.update(id, { archivedAt: changed.archivedAt }, manager);
      await this.afterPlanChange(manager, current, before, changed);
      return changed;
    });
    await this.events.emit('activity.changed', { activityId: next.id, courseId: next.courseId, type: next.type });
    return toActivityView(next, false);
  }

  async delete(id: string, actor: AuthUser): Promise<void> {
    const { course, activity } = await this.access.activityEdit(id, actor);
    assertOpen(course);
    await this.transactions.run(async (manager) => {
      // The progress module refuses (409 ACTIVITY_HAS_RECORDS) when learners have records of it: archive instead.
      await this.events.emitInTransaction(manager, 'activity.deleting', { activityId: id });
      const remaining = (await this.activities.findByCourse(course.id, manager)).filter((a) => a.id !== id);
      if (course.status === 'published' && remaining.filter((a) => !a.archivedAt).length === 0) {
        throw new ConflictException({ message: '已发布的培训班至少要保留一项学习任务', code: 'LAST_ACTIVITY' });
      }
      await this.activities.delete(id, manager);
      if (activity.required && course.status !== 'draft') await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: course.id });
    });
  }

  /** Keeps summaries and the ledger true to the new plan, set-based for the whole course. */
  private async afterPlanChange(manager: EntityManager, course: CourseRow, before: ActivityRow, after: ActivityRow): Promise<void> {
    if (course.status === 'draft') return;
    if (after.creditHours !== before.creditHours) {
      await this.events.emitInTransaction(manager, 'activity.creditHoursChanged', creditHoursChange(after, before.creditHours));
    }
    const countsChanged =
      after.required !== before.required || Boolean(after.archivedAt) !== Boolean(before.archivedAt) || after.creditHours !== before.creditHours;
    const dueMoved = (after.required || before.required) && !sameInstant(after.dueAt, before.dueAt);
    if (countsChanged) await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: course.id });
    else if (dueMoved) await this.events.emitInTransaction(manager, 'course.dueDatesChanged', { courseId: course.id });
  }

  private async assertSection(courseId: string, sectionId: string): Promise<void> {
    const section = await this.sections.findById(sectionId);
    if (!section || section.courseId !== courseId) {
      throw inputException([problem('sectionId', 'notInCourse')], 'UNKNOWN_SECTION');
    }
  }
}

/** What the ledger needs to correct the 学时 of learners who completed the activity before the change. */
export function creditHoursChange(
  activity: Pick<ActivityRow, 'id' | 'type' | 'title' | 'creditHours'>,
  previousHours: number,
): InTransactionEvents['activity.creditHoursChanged'] {
  return { activityId: activity.id, type: activity.type, title: activity.title, creditHours: activity.creditHours, previousHours };
}

/** Whether two optional dates are the same moment (both absent counts as the same). */
export function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** Dates must sit inside the training period, and a due date after the opening date. */
function assertDates(course: CourseRow, activity: ActivityRow): void {
  const problems: InputProblem[] = [];
  const period = { from: beijingTime(course.startsAt), to: beijingTime(course.endsAt) };
  const inside = (value: Date | null, field: string) => {
    if (value && (value < course.startsAt || value > course.endsAt)) problems.push(problem(field, 'insidePeriod', period));
  };
  inside(activity.opensAt, 'opensAt');
  inside(activity.dueAt, 'dueAt');
  if (activity.opensAt && activity.dueAt && activity.dueAt <= activity.opensAt) problems.push(problem('dueAt', 'after', { field: 'opensAt' }));
  if (activity.type === 'session') {
    const s = activity.settings as { startsAt: string; endsAt: string };
    inside(new Date(s.startsAt), 'startsAt');
    inside(new Date(s.endsAt), 'endsAt');
  }
  if (problems.length) throw inputException(problems);
}

