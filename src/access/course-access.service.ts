import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, AuthUser, isDepartmentAdmin } from '../common/auth-user';
import { AccessRepository } from './access.repository';
import { assertOpen } from './course-open';
import { ACTIVITY_TYPE_NAMES, type ActivityRow, type CourseRow } from './course-rows';
import { assertWorkOpen, type WorkWindow } from './work-window';

/** How the caller relates to a course: decides what they may see and change. */
export type CourseRole = 'admin' | 'unit-admin' | 'instructor' | 'learner';

export interface CourseAccessView {
  course: CourseRow;
  role: CourseRole;
}

/**
 * The one place that decides who may see or change a course and its activities, used by every feature
 * module. Admins (unit admins too, as API.md gives them everything an admin may do) and the course's
 * instructors edit its design; a unit admin reaches only their unit's learners' work; secretaries see
 * published courses they are enrolled in. A course the caller may not see is a 404, so ids reveal nothing.
 * Instructors are the course's listed instructors (course_instructors) and no one else: another instructor
 * finds the course and everything in it absent.
 */
@Injectable()
export class CourseAccessService {
  constructor(private readonly rows: AccessRepository) {}

  async view(courseId: string, actor: AuthUser): Promise<CourseAccessView> {
    const course = await this.rows.findCourse(courseId);
    const role = course ? await this.roleIn(course, actor) : null;
    if (!course || !role) throw courseNotFound();
    return { course, role };
  }

  /** The course if the caller may change its design: admins (unit admins too, as API.md says) and its instructors. */
  async edit(courseId: string, actor: AuthUser): Promise<CourseRow> {
    const { course, role } = await this.view(courseId, actor);
    if (!mayEdit(role)) {
      throw new ForbiddenException({ message: '只有本班授课教师和管理员可以修改培训班', code: 'NOT_COURSE_EDITOR' });
    }
    return course;
  }

  /** The course if the caller manages its learners (admins, unit admins for their unit, its instructors). */
  async manage(courseId: string, actor: AuthUser): Promise<CourseAccessView> {
    const access = await this.view(courseId, actor);
    if (access.role === 'learner') {
      throw new ForbiddenException({ message: '只有管理员和本班授课教师可以管理学员', code: 'NOT_COURSE_MANAGER' });
    }
    return access;
  }

  async activityView(activityId: string, actor: AuthUser): Promise<CourseAccessView & { activity: ActivityRow }> {
    const activity = await this.rows.findActivity(activityId);
    if (!activity) throw activityNotFound();
    try {
      const access = await this.view(activity.courseId, actor);
      if (access.role === 'learner' && activity.archivedAt) throw activityNotFound();
      return { ...access, activity };
    } catch (error) {
      if (error instanceof NotFoundException) throw activityNotFound();
      throw error;
    }
  }

  async activityEdit(activityId: string, actor: AuthUser): Promise<{ course: CourseRow; activity: ActivityRow }> {
    const { course, role, activity } = await this.activityView(activityId, actor);
    if (!mayEdit(role)) {
      throw new ForbiddenException({ message: '只有本班授课教师和管理员可以修改学习任务', code: 'NOT_COURSE_EDITOR' });
    }
    return { course, activity };
  }

  /**
   * The activity, for acting on these learners' work in it (review a reflection, mark attendance): its
   * editors may, but a unit admin only for learners of their unit. A learner out of reach gets `notFound`,
   * thrown before anything is written, exactly as an unknown id would be.
   */
  async activityForLearnerWork(
    activityId: string,
    learnerIds: string[],
    actor: AuthUser,
    notFound: (ids: string[]) => Error,
  ): Promise<{ course: CourseRow; activity: ActivityRow }> {
    const found = await this.activityEdit(activityId, actor);
    await this.assertLearnersInUnit(actor, learnerIds, notFound);
    return found;
  }

  /**
   * A unit admin's reach over people: work, records and lists of learners outside their unit do not exist
   * for them (API.md: other units' data answers 404). Everyone else passes; their limits are the course's.
   */
  async assertLearnersInUnit(actor: AuthUser, learnerIds: string[], notFound: (ids: string[]) => Error): Promise<void> {
    const unit = adminUnitScope(actor);
    const ids = [...new Set(learnerIds)];
    if (unit === null || !ids.length) return;
    const inUnit = await this.rows.idsInUnit(ids, unit);
    const outside = ids.filter((id) => !inUnit.has(id));
    if (outside.length) throw notFound(outside);
  }

  /**
   * The activity of the given type for a learner about to do something that counts (watch, write, answer):
   * they must be actively enrolled and the course still open. Others get 403, a closed course 409.
   */
  async activityForLearning(activityId: string, actor: AuthUser, type: ActivityRow['type']): Promise<{ course: CourseRow; activity: ActivityRow }> {
    const { activity, role, course } = await this.activityView(activityId, actor);
    if (activity.type !== type) {
      throw new NotFoundException({ message: `该学习任务不是${ACTIVITY_TYPE_NAMES[type]}`, code: `NOT_A_${type.toUpperCase()}` });
    }
    if (role !== 'learner') throw new ForbiddenException({ message: '只有本班学员可以进行此操作', code: 'NOT_A_LEARNER' });
    assertOpen(course);
    const active = await this.rows.isEnrolled(course.id, actor.id, true);
    if (!active) throw new ForbiddenException({ message: '你未报名该培训班', code: 'NOT_ENROLLED' });
    return { course, activity };
  }

  /**
   * activityForLearning for work that counts toward completion (answering a quiz, submitting a reflection,
   * reporting a video, posting in a discussion): also 409 unless the activity's work window is open or in
   * make-up (补学); see work-window.ts.
   */
  async activityForWork(activityId: string, actor: AuthUser, type: ActivityRow['type'], now: Date = new Date()): Promise<{ course: CourseRow; activity: ActivityRow; window: WorkWindow }> {
    const { course, activity } = await this.activityForLearning(activityId, actor, type);
    return { course, activity, window: assertWorkOpen(activity, course, now) };
  }

  async roleIn(course: CourseRow, actor: AuthUser): Promise<CourseRole | null> {
    if (isDepartmentAdmin(actor)) return 'admin';
    if (actor.role === 'admin') return 'unit-admin';
    if (actor.role === 'instructor') {
      const teaches = await this.rows.teaches(course.id, actor.id);
      return teaches ? 'instructor' : null;
    }
    if (course.status === 'draft') return null;
    const enrolled = await this.rows.isEnrolled(course.id, actor.id);
    return enrolled ? 'learner' : null;
  }
}

/** API.md: a unit admin may do everything an admin may; their limits are people and report rows, not course design. */
function mayEdit(role: CourseRole): boolean {
  return role === 'admin' || role === 'unit-admin' || role === 'instructor';
}

function courseNotFound(): NotFoundException {
  return new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
}

function activityNotFound(): NotFoundException {
  return new NotFoundException({ message: '学习任务不存在', code: 'ACTIVITY_NOT_FOUND' });
}
