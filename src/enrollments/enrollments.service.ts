import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException, problem, unknownTargetsException, type InputProblem } from '../common/validation-errors';
import { CourseAccessService } from '../courses/course-access.service';
import { like } from '../common/like';
import { EventBus } from '../events/event-bus';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { ProgressMembershipService } from '../progress/progress-membership.service';
import { EnrollDto, ListEnrollmentsQuery } from './dto/enrollment.dto';
import { EnrollmentSource } from './enrollment.entity';
import { assertOpen } from '../courses/course-open';

export interface EnrollmentView {
  user: { id: string; username: string; name: string; branch: string | null; unit: string | null };
  status: 'active' | 'withdrawn';
  source: EnrollmentSource;
  enrolledAt: Date;
  withdrawnAt: Date | null;
  progress: { requiredDone: number; requiredTotal: number; creditHours: number; completed: boolean } | null;
}

/** Secretaries who may learn (selected at enrolment time). */
const LEARNER = `u.role = 'secretary' AND u.active = 1`;

/**
 * Who is in a course. Enrolment is set-based (one INSERT … SELECT for a whole province), repeating it
 * changes nothing, and "this branch / unit / everyone" is kept as a rule so people a roster import adds
 * later are enrolled too while the course is open. Withdrawal keeps the row and the learner's record.
 */
@Injectable()
export class EnrollmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressMembershipService,
    private readonly courseEvents: EventBus,
  ) {}

  /** People created or moved are enrolled in the open courses whose rules now take them in. */
  @OnEventInTransaction('people.placed')
  async onPeoplePlaced({ userIds }: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    await this.applyRules(manager, userIds);
  }

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

    return this.dataSource.transaction(async (manager) => {
      const fresh = new Set<string>();
      // Newcomers are found first, so only their rows are written (not every learner's of a large course).
      const insert = async (source: EnrollmentSource, condition: string, params: unknown[]) => {
        const rows: { id: string }[] = await manager.query(
          `SELECT u.id FROM users u LEFT JOIN enrollments e ON e.course_id = ? AND e.user_id = u.id
            WHERE ${LEARNER} AND ${condition} AND e.id IS NULL`,
          [courseId, ...params],
        );
        const ids = rows.map((r) => String(r.id)).filter((id) => !fresh.has(id));
        for (let i = 0; i < ids.length; i += 1000) {
          const chunk = ids.slice(i, i + 1000);
          await manager.query(
            `INSERT IGNORE INTO enrollments (course_id, user_id, status, source, enrolled_at) VALUES ${chunk.map(() => "(?, ?, 'active', ?, CURRENT_TIMESTAMP(3))").join(', ')}`,
            chunk.flatMap((id) => [courseId, id, source]),
          );
        }
        ids.forEach((id) => fresh.add(id));
      };
      let enrolled = 0;
      if (userIds.length) {
        await insert('user', 'u.id IN (?)', [userIds]);
        // Naming a withdrawn learner again brings them back, with the record they had.
        const back = await manager.query(
          `UPDATE enrollments SET status = 'active', withdrawn_at = NULL WHERE course_id = ? AND user_id IN (?) AND status = 'withdrawn'`,
          [courseId, userIds],
        );
        enrolled += back.affectedRows as number;
        if (back.affectedRows > 0) await this.progress.syncLearners(manager, userIds, courseId);
      }
      if (branchIds.length) await insert('branch', 'u.branch_id IN (?)', [branchIds]);
      if (unitIds.length) await insert('unit', 'u.unit_id IN (?)', [unitIds]);
      if (all) await insert('all', '1 = 1', []);

      const rules = [
        ...branchIds.map((id) => ['branch', id]),
        ...unitIds.map((id) => ['unit', id]),
        ...(all ? [['all', '0']] : []),
      ];
      if (rules.length) {
        await manager.query(
          `INSERT IGNORE INTO enrollment_rules (course_id, scope, target_id) VALUES ${rules.map(() => '(?, ?, ?)').join(', ')}`,
          rules.flatMap(([scopeName, id]) => [courseId, scopeName, id]),
        );
      }
      enrolled += fresh.size;
      await this.progress.initLearners(manager, courseId, [...fresh]);
      const [{ total }] = await manager.query(`SELECT COUNT(*) AS total FROM enrollments WHERE course_id = ? AND status = 'active'`, [courseId]);
      return { enrolled, total: Number(total) };
    });
  }

  async withdraw(courseId: string, userId: string, actor: AuthUser): Promise<void> {
    const { course } = await this.access.manage(courseId, actor);
    assertOpen(course);
    const scope = adminUnitScope(actor);
    const withdrawn = await this.dataSource.transaction(async (manager) => {
      const result = await manager.query(
        `UPDATE enrollments e JOIN users u ON u.id = e.user_id
            SET e.status = 'withdrawn', e.withdrawn_at = CURRENT_TIMESTAMP(3)
          WHERE e.course_id = ? AND e.user_id = ? AND e.status = 'active' ${scope !== null ? 'AND u.unit_id = ?' : ''}`,
        [courseId, userId, ...(scope !== null ? [scope] : [])],
      );
      // The report's copies change with it, so the dashboard stops counting the learner at once.
      if (result.affectedRows > 0) await this.progress.syncLearners(manager, [userId], courseId);
      return result.affectedRows > 0;
    });
    if (!withdrawn) {
      const [exists] = await this.dataSource.query(
        `SELECT e.status FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.course_id = ? AND e.user_id = ? ${scope !== null ? 'AND u.unit_id = ?' : ''}`,
        [courseId, userId, ...(scope !== null ? [scope] : [])],
      );
      if (!exists) throw new NotFoundException({ message: '该学员未报名本培训班', code: 'ENROLLMENT_NOT_FOUND' });
      return;
    }
    await this.courseEvents.emit('course.learnersLeft', { courseId, userIds: [userId] });
  }

  async list(courseId: string, query: ListEnrollmentsQuery, actor: AuthUser): Promise<Page<EnrollmentView>> {
    await this.access.manage(courseId, actor);
    const where = ['e.course_id = ?'];
    const params: unknown[] = [courseId];
    const filter = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    const scope = adminUnitScope(actor);
    if (scope !== null) filter('u.unit_id = ?', scope);
    if (query.status) filter('e.status = ?', query.status);
    if (query.branchId) filter('u.branch_id = ?', query.branchId);
    if (query.unitId) filter('u.unit_id = ?', query.unitId);
    if (query.q) filter('(u.name LIKE ? OR u.username LIKE ?)', like(query.q), like(query.q));
    const from = `FROM enrollments e JOIN users u ON u.id = e.user_id LEFT JOIN branches b ON b.id = u.branch_id LEFT JOIN units un ON un.id = u.unit_id
      LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from}`, params);
    const rows = await this.dataSource.query(
      `SELECT u.id, u.username, u.name, b.name AS branch, un.name AS unit, e.status, e.source, e.enrolled_at AS enrolledAt, e.withdrawn_at AS withdrawnAt,
              cp.required_done AS requiredDone, cp.required_total AS requiredTotal, cp.credit_hours AS creditHours, cp.completed
         ${from} ORDER BY u.username LIMIT ? OFFSET ?`,
      [...params, query.pageSize, query.skip],
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        user: { id: String(r.id), username: r.username, name: r.name, branch: r.branch ?? null, unit: r.unit ?? null },
        status: r.status,
        source: r.source,
        enrolledAt: r.enrolledAt,
        withdrawnAt: r.withdrawnAt,
        progress:
          r.requiredTotal === null
            ? null
            : { requiredDone: Number(r.requiredDone), requiredTotal: Number(r.requiredTotal), creditHours: Number(r.creditHours), completed: Boolean(r.completed) },
      })) as EnrollmentView[],
      total: Number(total),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * People who were just created or moved: enrol them in every course still open whose rules cover their
   * branch, unit or everyone. Runs inside the import's transaction, so both land or neither does.
   */
  async applyRules(manager: EntityManager, userIds: string[]): Promise<number> {
    let enrolled = 0;
    for (let i = 0; i < userIds.length; i += 1000) {
      const chunk = userIds.slice(i, i + 1000);
      const result = await manager.query(
        `INSERT IGNORE INTO enrollments (course_id, user_id, status, source, enrolled_at)
         SELECT DISTINCT r.course_id, u.id, 'active', 'roster', CURRENT_TIMESTAMP(3)
           FROM users u
           JOIN enrollment_rules r ON r.scope = 'all' OR (r.scope = 'unit' AND r.target_id = u.unit_id) OR (r.scope = 'branch' AND r.target_id = u.branch_id)
           JOIN courses c ON c.id = r.course_id AND c.status <> 'closed' AND c.ends_at > CURRENT_TIMESTAMP(3)
          WHERE u.id IN (?) AND ${LEARNER}`,
        [chunk],
      );
      enrolled += result.affectedRows as number;
      if (result.affectedRows > 0) {
        await manager.query(
          `INSERT IGNORE INTO course_progress (course_id, user_id, required_total, active, unit_id, branch_id)
           SELECT e.course_id, e.user_id,
                  (SELECT COUNT(*) FROM activities a WHERE a.course_id = e.course_id AND a.required = 1 AND a.archived_at IS NULL),
                  e.status = 'active', u.unit_id, u.branch_id
             FROM enrollments e JOIN users u ON u.id = e.user_id WHERE e.user_id IN (?)`,
          [chunk],
        );
      }
      // People who moved: the report's copies of their unit and branch, and their completions in the
      // per-activity counters, follow them (closed courses too; their reports read the frozen results).
      await this.progress.syncLearners(manager, chunk);
    }
    return enrolled;
  }

  /**
   * Every named target must exist (and, for a unit admin, lie in their unit): 404 names the ones that do not,
   * as API.md answers for anything unknown or not visible to the caller.
   */
  private async assertTargets(userIds: string[], branchIds: string[], unitIds: string[], scope: string | null): Promise<void> {
    const problems: InputProblem[] = [];
    const missing = async (sql: string, ids: string[], field: string) => {
      if (!ids.length) return;
      const found: { id: string }[] = await this.dataSource.query(sql, [ids, ...(scope !== null ? [scope] : [])]);
      const absent = ids.filter((id) => !found.some((row) => String(row.id) === id));
      if (absent.length) problems.push(problem(field, scope !== null ? 'unknownIdInUnit' : 'unknownId', { ids: absent }));
    };
    const inScope = (column: string) => (scope !== null ? ` AND ${column} = ?` : '');
    await missing(`SELECT u.id FROM users u WHERE u.id IN (?) AND ${LEARNER}${inScope('u.unit_id')}`, userIds, 'userIds');
    await missing(`SELECT b.id FROM branches b WHERE b.id IN (?)${inScope('b.unit_id')}`, branchIds, 'branchIds');
    await missing(`SELECT un.id FROM units un WHERE un.id IN (?)${inScope('un.id')}`, unitIds, 'unitIds');
    if (problems.length) throw unknownTargetsException(problems, 'UNKNOWN_ENROLLMENT_TARGET');
  }
}
