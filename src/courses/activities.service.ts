import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { beijingTime, inputException, problem, type InputProblem } from '../common/validation-errors';
import { ProgressPlanService } from '../progress/progress-plan.service';
import { ProgressService } from '../progress/progress.service';
import { parseActivityUpdate, parseNewActivity } from './activity-input';
import { Activity } from './activity.entity';
import { CourseAccessService } from './course-access.service';
import { EventBus } from '../events/event-bus';
import { Course } from './course.entity';
import { assertOpen } from './course-open';
import { ActivityView, CoursesService, toActivityView } from './courses.service';
import { Section } from './section.entity';

/**
 * Activities (学习任务) of the five types. Changes to a published course keep every learner's progress:
 * the plan is re-checked, summaries are recomputed set-based, and changed 学时 are corrected in the ledger.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
    private readonly courses: CoursesService,
    private readonly progress: ProgressService,
    private readonly plan: ProgressPlanService,
    private readonly events: EventBus,
  ) {}

  async create(courseId: string, body: Record<string, unknown>, actor: AuthUser): Promise<ActivityView> {
    const course = await this.access.edit(courseId, actor);
    assertOpen(course);
    const { type, common, settings } = parseNewActivity(body);
    await this.assertSection(course.id, common.sectionId);
    const activity = this.dataSource.getRepository(Activity).create({
      courseId,
      sectionId: common.sectionId,
      type,
      title: common.title,
      required: common.required,
      creditHours: common.creditHours,
      opensAt: common.opensAt ? new Date(common.opensAt) : null,
      dueAt: common.dueAt ? new Date(common.dueAt) : null,
      position: common.position ?? (await this.courses.nextPosition('activities', { sectionId: common.sectionId })),
      settings,
      archivedAt: null,
      contentKey: null,
    });
    assertDates(course, activity);
    const saved = await this.dataSource.transaction(async (manager) => {
      if (course.status === 'published') await this.courses.assertPlan(manager, course, activity);
      const row = await manager.save(Activity, activity);
      if (activity.required && course.status !== 'draft') await this.plan.recomputeCourse(course.id, manager);
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
    const next = await this.dataSource.transaction(async (manager) => {
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
      if (current.status === 'published') await this.courses.assertPlan(manager, current, changed);
      await manager.save(Activity, changed);
      await this.afterPlanChange(manager, current, before, changed);
      return changed;
    });
    await this.events.emit('activity.changed', { activityId: next.id, courseId: next.courseId, type: next.type });
    return toActivityView(next, false);
  }

  /** The course (shared lock, so it cannot close meanwhile) and the activity (exclusive lock), re-read. */
  private async lockForEdit(manager: EntityManager, courseId: string, activityId: string): Promise<{ course: Course; activity: Activity }> {
    const course = await manager.createQueryBuilder(Course, 'c').setLock('pessimistic_read').where('c.id = :id', { id: courseId }).getOneOrFail();
    assertOpen(course);
    const activity = await manager.createQueryBuilder(Activity, 'a').setLock('pessimistic_write').where('a.id = :id', { id: activityId }).getOneOrFail();
    return { course, activity };
  }

  /** Archived activities keep their learner records but stop counting; unarchiving brings them back. */
  async setArchived(id: string, archived: boolean, actor: AuthUser): Promise<ActivityView> {
    const { course } = await this.access.activityEdit(id, actor);
    assertOpen(course);
    const next = await this.dataSource.transaction(async (manager) => {
      const { course: current, activity: before } = await this.lockForEdit(manager, course.id, id);
      if (Boolean(before.archivedAt) === archived) return before;
      const changed: Activity = { ...before, archivedAt: archived ? new Date() : null };
      if (current.status === 'published') await this.courses.assertPlan(manager, current, changed);
      await manager.update(Activity, { id }, { archivedAt: changed.archivedAt });
      await this.afterPlanChange(manager, current, before, changed);
      return changed;
    });
    await this.events.emit('activity.changed', { activityId: next.id, courseId: next.courseId, type: next.type });
    return toActivityView(next, false);
  }

  async delete(id: string, actor: AuthUser): Promise<void> {
    const { course, activity } = await this.access.activityEdit(id, actor);
    assertOpen(course);
    if (await this.progress.hasLearnerRecords(id)) {
      throw new ConflictException({
        message: '已有学员的学习记录，不能删除，可以归档',
        code: 'ACTIVITY_HAS_RECORDS',
      });
    }
    await this.dataSource.transaction(async (manager) => {
      const remaining = (await manager.find(Activity, { where: { courseId: course.id } })).filter((a) => a.id !== id);
      if (course.status === 'published' && remaining.filter((a) => !a.archivedAt).length === 0) {
        throw new ConflictException({ message: '已发布的培训班至少要保留一项学习任务', code: 'LAST_ACTIVITY' });
      }
      await manager.delete(Activity, { id });
      if (activity.required && course.status !== 'draft') await this.plan.recomputeCourse(course.id, manager);
    });
  }

  /** Keeps summaries and the ledger true to the new plan, set-based for the whole course. */
  private async afterPlanChange(manager: EntityManager, course: Course, before: Activity, after: Activity): Promise<void> {
    if (course.status === 'draft') return;
    if (after.creditHours !== before.creditHours) await this.plan.settleCreditHours(manager, after.id);
    const countsChanged =
      after.required !== before.required || Boolean(after.archivedAt) !== Boolean(before.archivedAt) || after.creditHours !== before.creditHours;
    if (countsChanged) await this.plan.recomputeCourse(course.id, manager);
  }

  private async assertSection(courseId: string, sectionId: string): Promise<void> {
    const section = await this.dataSource.getRepository(Section).findOneBy({ id: sectionId });
    if (!section || section.courseId !== courseId) {
      throw inputException([problem('sectionId', 'notInCourse')], 'UNKNOWN_SECTION');
    }
  }
}

/** Dates must sit inside the training period, and a due date after the opening date. */
function assertDates(course: Course, activity: Activity): void {
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

