import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessRepository } from '../access/access.repository';
import { publicSettings } from '../access/activity-settings';
import { CourseAccessService, CourseRole } from '../access/course-access.service';
import { assertOpen } from '../access/course-open';
import type { ActivityRow, CourseRow, MakeUpPolicy } from '../access/course-rows';
import { beijingDateTime, courseClosesAt } from '../access/work-window';
import { assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException, problem } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import { JOB_DEFINITIONS } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import { UsersRepository } from '../users/users.repository';
import { ActivitiesRepository } from './activities.repository';
import type { Course } from './course.entity';
import { CoursePlanService } from './course-plan.service';
import { CoursesRepository } from './courses.repository';
import { CreateCourseDto, CreateSectionDto, ListCoursesQuery, UpdateCourseDto, UpdateSectionDto } from './dto/course.dto';
import type { PlanProblem } from './plan-check';
import type { Section } from './section.entity';
import { SectionsRepository } from './sections.repository';

export interface CourseView
  extends Pick<
    CourseRow,
    | 'id' | 'title' | 'description' | 'status' | 'startsAt' | 'endsAt' | 'graceDays' | 'makeUpPolicy' | 'makeUpUntil'
    | 'requiredCreditHours' | 'requiredSessions' | 'publishedAt' | 'closedAt' | 'createdAt' | 'updatedAt'
  > {
  /** When the course closes: endsAt plus the grace (补学) days. */
  closesAt: Date;
  instructors: { id: string; name: string }[];
}

export interface ActivityView
  extends Pick<ActivityRow, 'id' | 'courseId' | 'sectionId' | 'type' | 'title' | 'required' | 'creditHours' | 'opensAt' | 'dueAt' | 'position' | 'archivedAt'> {
  /** Learners get only what they may see (never quiz answers). */
  settings: Record<string, unknown>;
}

export interface CourseDetailView extends CourseView {
  /** How the caller relates to the course: admin, unit-admin, instructor or learner. */
  role: CourseRole;
  sections: { id: string; title: string; description: string | null; position: number; activities: ActivityView[] }[];
}

/** Training classes (培训班), their sections and instructors, and their lifecycle draft → published → closed. */
@Injectable()
export class CoursesService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly sections: SectionsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly users: UsersRepository,
    private readonly accessRows: AccessRepository,
    private readonly access: CourseAccessService,
    private readonly plan: CoursePlanService,
    private readonly transactions: Transactions,
    private readonly jobs: JobsService,
    private readonly events: EventBus,
  ) {}

  async create(dto: CreateCourseDto, actor: AuthUser): Promise<CourseView> {
    const period = this.period(dto.startsAt, dto.endsAt);
    const instructorIds = new Set(dto.instructorIds ?? []);
    if (actor.role === 'instructor') instructorIds.add(actor.id);
    const id = await this.transactions.run(async (manager) => {
      await this.assertInstructors(manager, [...instructorIds]);
      const course = await this.courses.create(
        {
          title: dto.title,
          description: dto.description ?? null,
          ...period,
          requiredCreditHours: dto.requiredCreditHours ?? 0,
          requiredSessions: dto.requiredSessions ?? 0,
          graceDays: dto.graceDays ?? 0,
          ...makeUpSettings(dto, { makeUpPolicy: 'until_end', makeUpUntil: null }, { ...period, graceDays: dto.graceDays ?? 0 }),
          createdBy: actor.id,
        },
        manager,
      );
      await this.courses.addInstructors(course.id, [...instructorIds], manager);
      return course.id;
    });
    return this.view(id);
  }

  async list(query: ListCoursesQuery, actor: AuthUser): Promise<Page<CourseView>> {
    const [rows, total] = await this.courses.findPage({
      status: query.status,
      ...(actor.role === 'instructor' ? { taughtBy: actor.id } : {}),
      ...(actor.role === 'secretary' ? { publishedOnly: true, idIn: this.accessRows.courseIdsLearnedBy(actor.id) } : {}),
      skip: query.skip,
      take: query.pageSize,
    });
    const instructors = await this.instructorsOf(rows.map((c) => c.id));
    return { items: rows.map((c) => toCourseView(c, instructors.get(c.id) ?? [])), total, page: query.page, pageSize: query.pageSize };
  }

  async detail(id: string, actor: AuthUser): Promise<CourseDetailView> {
    const { course, role } = await this.access.view(id, actor);
    const learner = role === 'learner';
    const sections = await this.sections.findByCourse(id);
    const activities = await this.activities.findByCourse(id);
    const instructors = await this.instructorsOf([id]);
    return {
      ...toCourseView(course, instructors.get(id) ?? []),
      role,
      sections: sections.map((s) => ({
        id: s.id,
        title: s.title,
        description: s.description,
        position: s.position,
        activities: activities
          .filter((a) => a.sectionId === s.id && !(learner && a.archivedAt))
          .map((a) => toActivityView(a, learner)),
      })),
    };
  }

  async update(id: string, dto: UpdateCourseDto, actor: AuthUser): Promise<CourseView> {
    await this.access.edit(id, actor);
    const { next, windowChanged } = await this.transactions.run(async (manager) => {
      // Re-read under lock: a concurrent close or edit is seen, never overwritten.
      const course = await this.courses.lockForUpdate(id, manager);
      if (!course) throw courseNotFound();
      assertOpen(course);
      const changed: Course = { ...course, ...this.period(dto.startsAt ?? course.startsAt.toISOString(), dto.endsAt ?? course.endsAt.toISOString()) };
      if (dto.title !== undefined) changed.title = dto.title;
      if (dto.description !== undefined) changed.description = dto.description;
      if (dto.requiredCreditHours !== undefined) changed.requiredCreditHours = dto.requiredCreditHours;
      if (dto.requiredSessions !== undefined) changed.requiredSessions = dto.requiredSessions;
      if (dto.graceDays !== undefined) changed.graceDays = dto.graceDays;
      Object.assign(changed, makeUpSettings(dto, course, changed));
      // A published course must stay publishable: the same check as publishing, with every problem listed.
      if (course.status === 'published') await this.plan.assertSound(manager, changed);
      await this.courses.update(id, {
        title: changed.title,
        description: changed.description,
        startsAt: changed.startsAt,
        endsAt: changed.endsAt,
        requiredCreditHours: changed.requiredCreditHours,
        requiredSessions: changed.requiredSessions,
        graceDays: changed.graceDays,
        makeUpPolicy: changed.makeUpPolicy,
        makeUpUntil: changed.makeUpUntil,
      }, manager);
      const rulesChanged = changed.requiredCreditHours !== course.requiredCreditHours || changed.requiredSessions !== course.requiredSessions;
      if (rulesChanged) await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: id });
      return { next: changed, windowChanged: workWindowChanged(course, changed) };
    });
    if (next.status === 'published') await this.scheduleClose(next);
    // What the video hot path cached about when its lessons close must follow the new period or 补学 rule.
    if (windowChanged) await this.events.emit('course.changed', { courseId: id });
    return this.view(id);
  }

  async publish(id: string, actor: AuthUser): Promise<CourseView & { warnings: PlanProblem[] }> {
    const course = await this.access.edit(id, actor);
    assertOpen(course);
    if (course.status === 'draft') {
      await this.transactions.run(async (manager) => {
        await this.plan.assertSound(manager, course);
        await this.courses.update(id, { status: 'published', publishedAt: new Date() }, manager);
        // Plan edits in draft recompute nothing: learners enrolled meanwhile get their standing from the plan now.
        await this.events.emitInTransaction(manager, 'course.planChanged', { courseId: id });
      });
    }
    await this.scheduleClose(course);
    return { ...(await this.view(id)), warnings: await this.plan.warnings(course) };
  }

  /**
   * Closes the course and freezes every learner's state as the final results. Runs from the scheduled job
   * at endsAt + grace, or earlier by a department admin; closing twice changes nothing.
   */
  async close(id: string, actor: AuthUser | null): Promise<CourseView & { certificatesJobId: string }> {
    if (actor) {
      await this.access.view(id, actor);
      assertDepartment(actor, '结束培训班');
    }
    await this.transactions.run(async (manager) => {
      const course = await this.courses.lockForUpdate(id, manager);
      if (!course) throw courseNotFound();
      if (course.status === 'closed') return;
      if (course.status === 'draft') throw new ConflictException({ message: '培训班尚未发布，不能结业；请先发布', code: 'COURSE_NOT_PUBLISHED' });
      await this.courses.update(id, { status: 'closed', closedAt: new Date() }, manager);
      await this.events.emitInTransaction(manager, 'course.closing', { courseId: id });
    });
    // However the course closed (its scheduled job or the department), certificates follow: their module
    // queues the compile on this event, under a job id fixed per course. The page that closed the course
    // follows that compile by this id (GET /courses/:id/certificates/compile/:jobId).
    await this.events.emit('course.closed', { courseId: id });
    return { ...(await this.view(id)), certificatesJobId: JOB_DEFINITIONS['certificates.compile'].id({ courseId: id }) };
  }

  /** Called by the course.close job: closes when the (possibly moved) closing time has come. */
  async closeWhenDue(courseId: string): Promise<'closed' | 'rescheduled' | 'skipped'> {
    const course = await this.courses.findById(courseId);
    if (course?.status === 'closed') {
      // A retry after a crash between closing and what follows it: tell the listeners again (harmless when
      // repeated; the certificates compile they queue has a fixed job id, which dedupes it).
      await this.events.emit('course.closed', { courseId });
      return 'skipped';
    }
    if (!course || course.status !== 'published') return 'skipped';
    if (courseClosesAt(course).getTime() > Date.now()) {
      await this.scheduleClose(course);
      return 'rescheduled';
    }
    await this.close(courseId, null);
    return 'closed';
  }

  async setInstructors(id: string, userIds: string[], actor: AuthUser, mode: 'add' | 'remove'): Promise<CourseView> {
    const course = await this.access.edit(id, actor);
    assertOpen(course);
    await this.transactions.run(async (manager) => {
      if (mode === 'add') {
        await this.assertInstructors(manager, userIds);
        await this.courses.addInstructors(id, userIds, manager);
      } else {
        await this.courses.removeInstructors(id, userIds, manager);
        const left = await this.courses.countInstructors(id, manager);
        if (left === 0 && actor.role === 'instructor') {
          throw new BadRequestException({ message: '授课教师不能移除本班最后一位授课教师', code: 'LAST_INSTRUCTOR' });
        }
      }
    });
    return this.view(id);
  }

  // ---- Sections ----

  async createSection(courseId: string, dto: CreateSectionDto, actor: AuthUser) {
    const course = await this.access.edit(courseId, actor);
    assertOpen(course);
    const position = dto.position ?? (await this.sections.nextPosition(courseId));
    const section = await this.sections.save({ courseId, title: dto.title, description: dto.description ?? null, position });
    return toSectionView(section);
  }

  async updateSection(id: string, dto: UpdateSectionDto, actor: AuthUser) {
    const section = await this.sectionForEdit(id, actor);
    if (dto.title !== undefined) section.title = dto.title;
    if (dto.description !== undefined) section.description = dto.description;
    if (dto.position !== undefined) section.position = dto.position;
    return toSectionView(await this.sections.save(section));
  }

  async deleteSection(id: string, actor: AuthUser): Promise<void> {
    const section = await this.sectionForEdit(id, actor);
    if (await this.activities.existsInSection(id)) {
      throw new ConflictException({ message: '该单元下还有学习任务，请先移走或删除', code: 'SECTION_NOT_EMPTY' });
    }
    await this.sections.delete(section.id);
  }

  async view(id: string): Promise<CourseView> {
    const course = await this.courses.findByIdOrFail(id);
    return toCourseView(course, (await this.instructorsOf([id])).get(id) ?? []);
  }

  private async scheduleClose(course: CourseRow): Promise<void> {
    const closeAt = courseClosesAt(course);
    await this.jobs.enqueue('course.close', { courseId: course.id, closeAt: closeAt.toISOString() }, { delay: Math.max(0, closeAt.getTime() - Date.now()) });
  }

  private async sectionForEdit(id: string, actor: AuthUser): Promise<Section> {
    const section = await this.sections.findById(id);
    if (!section) throw new NotFoundException({ message: '单元不存在', code: 'SECTION_NOT_FOUND' });
    try {
      assertOpen(await this.access.edit(section.courseId, actor));
    } catch (error) {
      if (error instanceof NotFoundException) throw new NotFoundException({ message: '单元不存在', code: 'SECTION_NOT_FOUND' });
      throw error;
    }
    return section;
  }

  private period(startsAt: string, endsAt: string): { startsAt: Date; endsAt: Date } {
    const period = { startsAt: new Date(startsAt), endsAt: new Date(endsAt) };
    if (period.endsAt <= period.startsAt) {
      throw inputException([problem('endsAt', 'after', { field: 'startsAt' })]);
    }
    return period;
  }

  private async assertInstructors(manager: EntityManager, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const found = await this.users.activeInstructorIds(userIds, manager);
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length) {
      throw inputException([problem('instructorIds', 'unknownId', { ids: missing })], 'UNKNOWN_INSTRUCTOR');
    }
  }

  private async instructorsOf(courseIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const map = new Map<string, { id: string; name: string }[]>();
    const coursesOf = new Map<string, string[]>();
    for (const { courseId, userId } of await this.courses.instructorPairs(courseIds)) coursesOf.set(userId, [...(coursesOf.get(userId) ?? []), courseId]);
    // Names come in name order, so each course lists its instructors by name.
    for (const label of await this.users.namesInNameOrder([...coursesOf.keys()])) {
      for (const courseId of coursesOf.get(label.id) ?? []) map.set(courseId, [...(map.get(courseId) ?? []), label]);
    }
    return map;
  }
}

type MakeUpSettings = Pick<CourseRow, 'makeUpPolicy' | 'makeUpUntil'>;

/**
 * The course's 补学 settings after a create or an edit, checked: a set make-up deadline is needed for
 * `until` only, and must fall inside the course's life (after its start, no later than its closing). That it
 * comes after every activity's due date is the plan check's business (activities change after this).
 */
function makeUpSettings(
  dto: { makeUpPolicy?: MakeUpPolicy; makeUpUntil?: string | null },
  current: MakeUpSettings,
  period: Pick<CourseRow, 'startsAt' | 'endsAt' | 'graceDays'>,
): MakeUpSettings {
  const policy = dto.makeUpPolicy ?? current.makeUpPolicy;
  const refuse = (code: string, message: string) => inputException([{ field: 'makeUpUntil', rule: 'format', message }], code);
  if (policy !== 'until') {
    if (dto.makeUpUntil) throw refuse('MAKE_UP_UNTIL_UNUSED', '只有补学方式为“补学至指定时间”时才能设置补学截止时间');
    return { makeUpPolicy: policy, makeUpUntil: null };
  }
  const until = dto.makeUpUntil !== undefined ? (dto.makeUpUntil ? new Date(dto.makeUpUntil) : null) : current.makeUpUntil;
  if (!until) throw refuse('MAKE_UP_UNTIL_REQUIRED', '补学方式为“补学至指定时间”时，请填写补学截止时间');
  if (until <= period.startsAt) throw refuse('MAKE_UP_UNTIL_INVALID', `补学截止时间须晚于培训开始时间 ${beijingDateTime(period.startsAt)}`);
  const closes = courseClosesAt(period);
  if (until > closes) {
    throw refuse('MAKE_UP_UNTIL_INVALID', `补学截止时间不能晚于培训班结业时间 ${beijingDateTime(closes)}（结束时间加补学宽限天数），可先延长宽限天数`);
  }
  return { makeUpPolicy: policy, makeUpUntil: until };
}

/** Did an edit move when activities stop taking work (the period, the grace days or the 补学 rule)? */
function workWindowChanged(before: CourseRow, after: CourseRow): boolean {
  return (
    before.endsAt.getTime() !== after.endsAt.getTime() ||
    before.graceDays !== after.graceDays ||
    before.makeUpPolicy !== after.makeUpPolicy ||
    (before.makeUpUntil?.getTime() ?? null) !== (after.makeUpUntil?.getTime() ?? null)
  );
}

export function toCourseView(course: CourseRow, instructors: { id: string; name: string }[]): CourseView {
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    status: course.status,
    startsAt: course.startsAt,
    endsAt: course.endsAt,
    graceDays: course.graceDays,
    closesAt: courseClosesAt(course),
    makeUpPolicy: course.makeUpPolicy,
    makeUpUntil: course.makeUpUntil,
    requiredCreditHours: course.requiredCreditHours,
    requiredSessions: course.requiredSessions,
    publishedAt: course.publishedAt,
    closedAt: course.closedAt,
    instructors,
    createdAt: course.createdAt,
    updatedAt: course.updatedAt,
  };
}

/** Learners get the settings they may see (never quiz answers); editors get everything. */
export function toActivityView(activity: ActivityRow, learner: boolean): ActivityView {
  return {
    id: activity.id,
    courseId: activity.courseId,
    sectionId: activity.sectionId,
    type: activity.type,
    title: activity.title,
    required: activity.required,
    creditHours: activity.creditHours,
    opensAt: activity.opensAt,
    dueAt: activity.dueAt,
    position: activity.position,
    archivedAt: activity.archivedAt,
    settings: learner ? publicSettings(activity.type, activity.settings) : { ...activity.settings },
  };
}

function toSectionView(section: Section) {
  return { id: section.id, courseId: section.courseId, title: section.title, description: section.description, position: section.position };
}

function courseNotFound(): NotFoundException {
  return new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
}
