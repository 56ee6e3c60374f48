import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CourseAccessService } from '../access/course-access.service';
import { assertOpen } from '../access/course-open';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException, problem, unknownTargetsException, type InputProblem } from '../common/validation-errors';
import { CoursesRepository } from '../courses/courses.repository';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository, type LearnerScope, type UserLabel } from '../users/users.repository';
import { EnrollDto, ListEnrollmentsQuery } from './dto/enrollment.dto';
import { EnrollmentSource } from './enrollment.entity';
import { EnrollmentsRepository, type RuleScope } from './enrollments.repository';
import { LearnerFiguresSources } from './learner-figures';

export interface EnrollmentView {
  user: { id: string; username: string; name: string; branch: string | null; unit: string | null };
  status: 'active' | 'withdrawn';
  source: EnrollmentSource;
  enrolledAt: Date;
  withdrawnAt: Date | null;
  progress: { requiredDone: number; requiredTotal: number; creditHours: number; completed: boolean } | null;
}

const CHUNK = 1000;

/**
 * Who is in a course. Enrolment is set-based (newcomers found in one query for a whole province), repeating
 * it changes nothing, and "this branch / unit / everyone" is kept as a rule so people a roster import adds
 * later are enrolled too while the course is open. Withdrawal keeps the row and the learner's record.
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly users: UsersRepository,
    private readonly org: OrgRepository,
    private readonly courses: CoursesRepository,
    private readonly figures: LearnerFiguresSources,
    private readonly access: CourseAccessService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async enroll(courseId: string, dto: EnrollDto, actor: AuthUser): Promise<{ enrolled: number; total: number }> {
    const { course } = await this.access.manage(courseId, actor);
    assertOpen(course);
    const userIds = [...new Set(dto.userIds ?? [])];
    const branchIds = [...new Set(dto.branchIds ?? [])];
    let unitIds = [...new Set(dto.unitIds ?? [])];
    const scope = adminUnitScope(actor);
    if (!userIds.length && !branchIds.length && !unitIds.length && !dto.allSecretaries) {
      throw inputException([problem('userIds', 'oneOfFields', { fields: ['userIds', 'branchIds', 'unitIds', 'allSecretaries'] })]);
    }
    // For a unit admin "everyone" means everyone in their unit.
    const all = dto.allSecretaries === true && scope === null;
    if (dto.allSecretaries && scope !== null) unitIds = [...new Set([...unitIds, scope])];
    await this.assertTargets(userIds, branchIds, unitIds, scope);

    return this.transactions.run(async (manager) => {
      const fresh = new Set<string>();
      // Newcomers are found first, so only their rows are written (not every learner's of a large course).
      const insert = async (source: EnrollmentSource, where?: LearnerScope) => {
        const ids = (await this.enrollments.notEnrolled(courseId, this.users.learnerIds(where), manager)).filter((id) => !fresh.has(id));
        await this.enrollments.insertActive(ids.map((userId) => ({ courseId, userId })), source, manager);
        ids.forEach((id) => fresh.add(id));
      };
      let enrolled = 0;
      let returned: string[] = [];
      if (userIds.length) {
        await insert('user', { userIds });
        // Naming a withdrawn learner again brings them back, with the record they had.
        const back = await this.enrollments.reactivate(courseId, userIds, manager);
        enrolled += back;
        if (back > 0) returned = userIds;
      }
      if (branchIds.length) await insert('branch', { branchIds });
      if (unitIds.length) await insert('unit', { unitIds });
      if (all) await insert('all');

      const rules: { scope: RuleScope; targetId: string }[] = [
        ...branchIds.map((targetId) => ({ scope: 'branch' as const, targetId })),
        ...unitIds.map((targetId) => ({ scope: 'unit' as const, targetId })),
        ...(all ? [{ scope: 'all' as const, targetId: '0' }] : []),
      ];
      await this.enrollments.addRules(courseId, rules, manager);
      enrolled += fresh.size;
      // Newcomers get their progress summary; those brought back have theirs count them again.
      const changed = [...new Set([...fresh, ...returned])];
      if (changed.length) await this.events.emitInTransaction(manager, 'enrollment.changed', { courseId, userIds: changed });
      return { enrolled, total: await this.enrollments.countActive(courseId, manager) };
    });
  }

  async withdraw(courseId: string, userId: string, actor: AuthUser): Promise<void> {
    const { course } = await this.access.manage(courseId, actor);
    assertOpen(course);
    const scope = adminUnitScope(actor);
    const inScope = scope !== null ? this.users.idsInUnit(scope) : null;
    const withdrawn = await this.transactions.run(async (manager) => {
      const done = await this.enrollments.withdraw(courseId, userId, inScope, manager);
      // The report's copies change with it, so the dashboard stops counting the learner at once.
      if (done) await this.events.emitInTransaction(manager, 'enrollment.changed', { courseId, userIds: [userId] });
      return done;
    });
    if (!withdrawn) {
      if (!(await this.enrollments.exists(courseId, userId, inScope))) {
        throw new NotFoundException({ message: '该学员未报名本培训班', code: 'ENROLLMENT_NOT_FOUND' });
      }
      return;
    }
    await this.events.emit('course.learnersLeft', { courseId, userIds: [userId] });
  }

  async list(courseId: string, query: ListEnrollmentsQuery, actor: AuthUser): Promise<Page<EnrollmentView>> {
    await this.access.manage(courseId, actor);
    const scope = adminUnitScope(actor);
    const { rows: page, total } = await this.users.pageWithin(
      this.enrollments.userIdsOf(courseId, query.status),
      { unitIds: [scope, query.unitId].filter((id): id is string => Boolean(id)), branchId: query.branchId, q: query.q },
      { skip: query.skip, take: query.pageSize },
    );
    const ids = page.map((row) => row.id);
    const enrollments = await this.enrollments.findByUsers(courseId, ids);
    const figures = await this.figures.figuresOf(courseId, ids);
    const names = await this.org.namesByIds(
      page.flatMap((row) => (row.unitId ? [row.unitId] : [])),
      page.flatMap((row) => (row.branchId ? [row.branchId] : [])),
    );
    return {
      items: page.map((row) => toView(row, enrollments.get(row.id)!, figures.get(row.id) ?? null, names)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * People who were just created or moved: enrol them in every course still open whose rules cover their
   * branch, unit or everyone. Runs inside the roster import's transaction, so both land or neither does.
   */
  @OnEventInTransaction('people.placed')
  async applyRules({ userIds }: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    const rules = await this.enrollments.rulesOf(this.courses.idsOpenForEnrollment(), manager);
    if (!rules.length) return;
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const learners = await this.users.placedLearners(userIds.slice(i, i + CHUNK), manager);
      const enrolled = await this.enrollments.enrolledPairs(learners.map((l) => l.id), manager);
      const joining = new Map<string, string[]>();
      for (const learner of learners) {
        for (const courseId of new Set(rules.filter((rule) => covers(rule, learner)).map((rule) => rule.courseId))) {
          if (!enrolled.has(`${courseId}:${learner.id}`)) joining.set(courseId, [...(joining.get(courseId) ?? []), learner.id]);
        }
      }
      for (const [courseId, ids] of joining) {
        await this.enrollments.insertActive(ids.map((userId) => ({ courseId, userId })), 'roster', manager);
        await this.events.emitInTransaction(manager, 'enrollment.changed', { courseId, userIds: ids });
      }
    }
  }

  /**
   * Every named target must exist (and, for a unit admin, lie in their unit): 404 names the ones that do not,
   * as API.md answers for anything unknown or not visible to the caller.
   */
  private async assertTargets(userIds: string[], branchIds: string[], unitIds: string[], scope: string | null): Promise<void> {
    const problems: InputProblem[] = [];
    const missing = (ids: string[], found: Set<string>, field: string) => {
      const absent = ids.filter((id) => !found.has(id));
      if (absent.length) problems.push(problem(field, scope !== null ? 'unknownIdInUnit' : 'unknownId', { ids: absent }));
    };
    missing(userIds, await this.users.learnersAmong(userIds, scope), 'userIds');
    missing(branchIds, await this.org.branchIdsAmong(branchIds, scope), 'branchIds');
    missing(unitIds, await this.org.unitIdsAmong(unitIds, scope), 'unitIds');
    if (problems.length) throw unknownTargetsException(problems, 'UNKNOWN_ENROLLMENT_TARGET');
  }
}

function covers(rule: { scope: RuleScope; targetId: string }, learner: UserLabel): boolean {
  return rule.scope === 'all' || (rule.scope === 'unit' && rule.targetId === learner.unitId) || (rule.scope === 'branch' && rule.targetId === learner.branchId);
}

function toView(
  user: UserLabel,
  enrollment: { status: EnrollmentView['status']; source: EnrollmentSource; enrolledAt: Date; withdrawnAt: Date | null },
  progress: EnrollmentView['progress'],
  names: { branches: Map<string, string>; units: Map<string, string> },
): EnrollmentView {
  return {
    user: {
      id: user.id,
      username: user.username,
      name: user.name,
      branch: (user.branchId && names.branches.get(user.branchId)) ?? null,
      unit: (user.unitId && names.units.get(user.unitId)) ?? null,
    },
    status: enrollment.status,
    source: enrollment.source,
    enrolledAt: enrollment.enrolledAt,
    withdrawnAt: enrollment.withdrawnAt,
    progress,
  };
}
