import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException, problem } from '../common/validation-errors';
import { JobsService } from '../jobs/jobs.service';
import { ProgressPlanService } from '../progress/progress-plan.service';
import { User } from '../users/user.entity';
import { Activity } from './activity.entity';
import { publicSettings } from './activity-settings';
import { CourseAccessService, CourseRole } from './course-access.service';
import { Course, MakeUpPolicy } from './course.entity';
import { CourseInstructor } from './course-instructor.entity';
import { CreateCourseDto, CreateSectionDto, ListCoursesQuery, UpdateCourseDto, UpdateSectionDto } from './dto/course.dto';
import { EventBus } from '../events/event-bus';
import { assertOpen } from './course-open';
import { checkPlan, planWarnings, type PlanProblem } from './plan-check';
import { Section } from './section.entity';
import { beijingDateTime, courseClosesAt } from './work-window';

export interface CourseView {
  id: string;
  title: string;
  description: string | null;
  status: Course['status'];
  startsAt: Date;
  endsAt: Date;
  graceDays: number;
  /** When the course closes: endsAt plus the grace (补学) days. */
  closesAt: Date;
  /** 补学: may overdue work still be done (see work-window.ts)? */
  makeUpPolicy: MakeUpPolicy;
  /** The make-up deadline when makeUpPolicy is `until`. */
  makeUpUntil: Date | null;
  requiredCreditHours: number;
  requiredSessions: number;
  publishedAt: Date | null;
  closedAt: Date | null;
  instructors: { id: string; name: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ActivityView {
  id: string;
  courseId: string;
  sectionId: string;
  type: Activity['type'];
  title: string;
  required: boolean;
  creditHours: number;
  opensAt: Date | null;
  dueAt: Date | null;
  position: number;
  archivedAt: Date | null;
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressPlanService,
    private readonly jobs: JobsService,
    private readonly events: EventBus,
  ) {}

  async create(dto: CreateCourseDto, actor: AuthUser): Promise<CourseView> {
    const period = this.period(dto.startsAt, dto.endsAt);
    const instructorIds = new Set(dto.instructorIds ?? []);
    if (actor.role === 'instructor') instructorIds.add(actor.id);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.assertInstructors(manager, [...instructorIds]);
      const course = await manager.save(
        manager.create(Course, {
          title: dto.title,
          description: dto.description ?? null,
          ...period,
          requiredCreditHours: dto.requiredCreditHours ?? 0,
          requiredSessions: dto.requiredSessions ?? 0,
          graceDays: dto.graceDays ?? 0,
          ...makeUpSettings(dto, { makeUpPolicy: 'until_end', makeUpUntil: null }, { ...period, graceDays: dto.graceDays ?? 0 }),
          createdBy: actor.id,
        }),
      );
      if (instructorIds.size) await manager.insert(CourseInstructor, [...instructorIds].map((userId) => ({ courseId: course.id, userId })));
      return course.id;
    });
    return this.view(id);
  }

  async list(query: ListCoursesQuery, actor: AuthUser): Promise<Page<CourseView>> {
    const qb = this.dataSource.getRepository(Course).createQueryBuilder('c').orderBy('c.starts_at', 'DESC').addOrderBy('c.id', 'DESC');
    if (actor.role === 'instructor') {
      qb.andWhere('c.id IN (SELECT ci.course_id FROM course_instructors ci WHERE ci.user_id = :me)', { me: actor.id });
    } else if (actor.role === 'secretary') {
      qb.andWhere("c.status <> 'draft'").andWhere('c.id IN (SELECT e.course_id FROM enrollments e WHERE e.user_id = :me)', { me: actor.id });
    }
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    const [rows, total] = await qb.skip(query.skip).take(query.pageSize).getManyAndCount();
    const instructors = await this.instructorsOf(rows.map((c) => c.id));
    return { items: rows.map((c) => toCourseView(c, instructors.get(c.id) ?? [])), total, page: query.page, pageSize: query.pageSize };
  }

  async detail(id: string, actor: AuthUser): Promise<CourseDetailView> {
    const { course, role } = await this.access.view(id, actor);
    const learner = role === 'learner';
    const sections = await this.dataSource.getRepository(Section).find({ where: { courseId: id }, order: { position: 'ASC', id: 'ASC' } });
    const activities = await this.dataSource.getRepository(Activity).find({ where: { courseId: id }, order: { position: 'ASC', id: 'ASC' } });
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
    const { next, windowChanged } = await this.dataSource.transaction(async (manager) => {
      // Re-read under lock: a concurrent close or edit is seen, never overwritten.
      const course = await manager.createQueryBuilder(Course, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOneOrFail();
      assertOpen(course);
      const changed: Course = { ...course, ...this.period(dto.startsAt ?? course.startsAt.toISOString(), dto.endsAt ?? course.endsAt.toISOString()) };
      if (dto.title !== undefined) changed.title = dto.title;
      if (dto.description !== undefined) changed.description = dto.description;
      if (dto.requiredCreditHours !== undefined) changed.requiredCreditHours = dto.requiredCreditHours;
      if (dto.requiredSessions !== undefined) changed.requiredSessions = dto.requiredSessions;
      if (dto.graceDays !== undefined) changed.graceDays = dto.graceDays;
      Object.assign(changed, makeUpSettings(dto, course, changed));
      // A published course must stay publishable: the same check as publishing, with every problem listed.
      if (course.status === 'published') await this.assertPlan(manager, changed);
      await manager.update(Course, { id }, {
        title: changed.title,
        description: changed.description,
        startsAt: changed.startsAt,
        endsAt: changed.endsAt,
        requiredCreditHours: changed.requiredCreditHours,
        requiredSessions: changed.requiredSessions,
        graceDays: changed.graceDays,
        makeUpPolicy: changed.makeUpPolicy,
        makeUpUntil: changed.makeUpUntil,
      });
      const rulesChanged = changed.requiredCreditHours !== course.requiredCreditHours || changed.requiredSessions !== course.requiredSessions;
      if (rulesChanged) await this.progress.recomputeCourse(id, manager);
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
      await this.dataSource.transaction(async (manager) => {
        await this.assertPlan(manager, course);
        await manager.update(Course, { id }, { status: 'published', publishedAt: new Date() });
      });
    }
    await this.scheduleClose(course);
    return { ...(await this.view(id)), warnings: await this.warnings(id) };
  }

  /** Things to fix that do not stop publishing (a required video lesson still without its file). */
  private async warnings(courseId: string): Promise<PlanProblem[]> {
    const activities = await this.dataSource.getRepository(Activity).findBy({ courseId });
    const uploaded: { activityId: string }[] = await this.dataSource.query(
      `SELECT v.activity_id AS activityId FROM video_files v JOIN activities a ON a.id = v.activity_id WHERE a.course_id = ?`,
      [courseId],
    );
    return planWarnings(activities, new Set(uploaded.map((u) => String(u.activityId))));
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
    await this.dataSource.transaction(async (manager) => {
      const course = await manager.createQueryBuilder(Course, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
      if (!course) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
      if (course.status === 'closed') return;
      if (course.status === 'draft') throw new ConflictException({ message: '培训班尚未发布，不能结业；请先发布', code: 'COURSE_NOT_PUBLISHED' });
      await manager.update(Course, { id }, { status: 'closed', closedAt: new Date() });
      await this.progress.freeze(manager, id);
    });
    await this.events.emit('course.closed', { courseId: id });
    // However the course closed (its scheduled job or the department), certificates follow; the page that
    // closed it follows that compile by this id (GET /courses/:id/certificates/compile/:jobId).
    const certificatesJobId = await this.queueCertificates(id);
    return { ...(await this.view(id)), certificatesJobId };
  }

  /** Called by the course.close job: closes when the (possibly moved) closing time has come. */
  async closeWhenDue(courseId: string): Promise<'closed' | 'rescheduled' | 'skipped'> {
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: courseId });
    if (course?.status === 'closed') {
      // A retry after a crash between closing and what follows it: tell the listeners and queue the compile
      // again (both harmless when repeated; the compile's fixed job id dedupes it).
      await this.events.emit('course.closed', { courseId });
      await this.queueCertificates(courseId);
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
    await this.dataSource.transaction(async (manager) => {
      if (mode === 'add') {
        await this.assertInstructors(manager, userIds);
        if (userIds.length) {
          await manager.createQueryBuilder().insert().into(CourseInstructor).values(userIds.map((userId) => ({ courseId: id, userId }))).orIgnore().execute();
        }
      } else {
        if (userIds.length) await manager.delete(CourseInstructor, { courseId: id, userId: In(userIds) });
        const left = await manager.countBy(CourseInstructor, { courseId: id });
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
    const position = dto.position ?? (await this.nextPosition('sections', { courseId }));
    const section = await this.dataSource.getRepository(Section).save({ courseId, title: dto.title, description: dto.description ?? null, position });
    return toSectionView(section);
  }

  async updateSection(id: string, dto: UpdateSectionDto, actor: AuthUser) {
    const section = await this.sectionForEdit(id, actor);
    if (dto.title !== undefined) section.title = dto.title;
    if (dto.description !== undefined) section.description = dto.description;
    if (dto.position !== undefined) section.position = dto.position;
    return toSectionView(await this.dataSource.getRepository(Section).save(section));
  }

  async deleteSection(id: string, actor: AuthUser): Promise<void> {
    const section = await this.sectionForEdit(id, actor);
    if (await this.dataSource.getRepository(Activity).existsBy({ sectionId: id })) {
      throw new ConflictException({ message: '该单元下还有学习任务，请先移走或删除', code: 'SECTION_NOT_EMPTY' });
    }
    await this.dataSource.getRepository(Section).delete({ id: section.id });
  }

  // ---- Helpers shared with ActivitiesService ----

  async nextPosition(table: 'sections' | 'activities', where: { courseId?: string; sectionId?: string }): Promise<number> {
    const column = where.sectionId ? 'section_id' : 'course_id';
    const [row] = await this.dataSource.query(`SELECT COALESCE(MAX(position), -1) + 1 AS next FROM ${table} WHERE ${column} = ?`, [
      where.sectionId ?? where.courseId,
    ]);
    return Number(row.next);
  }

  /** 400 listing every problem when the course's plan is not sound. */
  async assertPlan(manager: EntityManager, course: Course, replace?: Activity): Promise<void> {
    let activities = await manager.find(Activity, { where: { courseId: course.id } });
    if (replace) activities = [...activities.filter((a) => a.id !== replace.id), replace];
    const bank: { key: string; tags: string }[] = await manager.query('SELECT `key`, tags FROM quiz_bank_questions WHERE course_id = ? AND archived_at IS NULL', [course.id]);
    const problems = checkPlan(course, activities, { questionBank: bank.map((q) => ({ key: q.key, tags: JSON.parse(q.tags) as string[] })) });
    if (problems.length) {
      throw new BadRequestException({
        message: problems.map((p) => p.message),
        code: 'PLAN_INVALID',
        problems,
      });
    }
  }

  async view(id: string): Promise<CourseView> {
    const course = await this.dataSource.getRepository(Course).findOneByOrFail({ id });
    return toCourseView(course, (await this.instructorsOf([id])).get(id) ?? []);
  }

  /** The compile that closing starts; its job id is fixed per course, so queueing it again adds nothing. */
  private async queueCertificates(courseId: string): Promise<string> {
    const job = await this.jobs.enqueue('certificates.compile', { courseId });
    return job.id as string;
  }

  private async scheduleClose(course: Course): Promise<void> {
    const closeAt = courseClosesAt(course);
    await this.jobs.enqueue('course.close', { courseId: course.id, closeAt: closeAt.toISOString() }, { delay: Math.max(0, closeAt.getTime() - Date.now()) });
  }

  private async sectionForEdit(id: string, actor: AuthUser): Promise<Section> {
    const section = await this.dataSource.getRepository(Section).findOneBy({ id });
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
    const found = await manager.find(User, { where: { id: In(userIds), role: 'instructor', active: true }, select: { id: true } });
    const missing = userIds.filter((id) => !found.some((u) => u.id === id));
    if (missing.length) {
      throw inputException([problem('instructorIds', 'unknownId', { ids: missing })], 'UNKNOWN_INSTRUCTOR');
    }
  }

  private async instructorsOf(courseIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const map = new Map<string, { id: string; name: string }[]>();
    if (!courseIds.length) return map;
    const rows: { courseId: string; id: string; name: string }[] = await this.dataSource.query(
      `SELECT ci.course_id AS courseId, u.id AS id, u.name AS name FROM course_instructors ci JOIN users u ON u.id = ci.user_id
        WHERE ci.course_id IN (?) ORDER BY u.name`,
      [courseIds],
    );
    for (const row of rows) map.set(String(row.courseId), [...(map.get(String(row.courseId)) ?? []), { id: String(row.id), name: row.name }]);
    return map;
  }
}

type MakeUpSettings = Pick<Course, 'makeUpPolicy' | 'makeUpUntil'>;

/**
 * The course's 补学 settings after a create or an edit, checked: a set make-up deadline is needed for
 * `until` only, and must fall inside the course's life (after its start, no later than its closing). That it
 * comes after every activity's due date is the plan check's business (activities change after this).
 */
function makeUpSettings(
  dto: { makeUpPolicy?: MakeUpPolicy; makeUpUntil?: string | null },
  current: MakeUpSettings,
  period: Pick<Course, 'startsAt' | 'endsAt' | 'graceDays'>,
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
function workWindowChanged(before: Course, after: Course): boolean {
  return (
    before.endsAt.getTime() !== after.endsAt.getTime() ||
    before.graceDays !== after.graceDays ||
    before.makeUpPolicy !== after.makeUpPolicy ||
    (before.makeUpUntil?.getTime() ?? null) !== (after.makeUpUntil?.getTime() ?? null)
  );
}

export function toCourseView(course: Course, instructors: { id: string; name: string }[]): CourseView {
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
export function toActivityView(activity: Activity, learner: boolean): ActivityView {
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
