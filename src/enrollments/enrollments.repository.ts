import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Subquery } from '../database/subquery';
import type { EnrollmentSource } from './enrollment.entity';

const CHUNK = 1000;

export interface EnrollmentRow {
  userId: string;
  status: 'active' | 'withdrawn';
  source: EnrollmentSource;
  enrolledAt: Date;
  withdrawnAt: Date | null;
}

export type RuleScope = 'branch' | 'unit' | 'all';

/** The enrollments and enrollment_rules tables. */
@Injectable()
export class EnrollmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Of the people `candidates` selects, those not yet in the course (withdrawn ones are in it). */
  async notEnrolled(courseId: string, candidates: Subquery, manager?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.manager(manager).query(
      `SELECT l.id FROM (${candidates.sql}) l LEFT JOIN enrollments e ON e.course_id = ? AND e.user_id = l.id WHERE e.id IS NULL`,
      [...candidates.params, courseId],
    );
    return rows.map((row) => String(row.id));
  }

  /** Enrols these people (a repeat changes nothing), in statements of a thousand. */
  async insertActive(pairs: { courseId: string; userId: string }[], source: EnrollmentSource, manager?: EntityManager): Promise<void> {
    for (let i = 0; i < pairs.length; i += CHUNK) {
      const chunk = pairs.slice(i, i + CHUNK);
      await this.manager(manager).query(
        `INSERT IGNORE INTO enrollments (course_id, user_id, status, source, enrolled_at) VALUES ${chunk.map(() => "(?, ?, 'active', ?, CURRENT_TIMESTAMP(3))").join(', ')}`,
        chunk.flatMap((pair) => [pair.courseId, pair.userId, source]),
      );
    }
  }

  /** Brings withdrawn learners back, with the record they had; returns how many came back. */
  async reactivate(courseId: string, userIds: string[], manager?: EntityManager): Promise<number> {
    const result = await this.manager(manager).query(
      `UPDATE enrollments SET status = 'active', withdrawn_at = NULL WHERE course_id = ? AND user_id IN (?) AND status = 'withdrawn'`,
      [courseId, userIds],
    );
    return result.affectedRows as number;
  }

  /** Withdraws an active learner (only among `among`'s people, when given); false when there was none. */
  async withdraw(courseId: string, userId: string, among: Subquery | null, manager?: EntityManager): Promise<boolean> {
    const result = await this.manager(manager).query(
      `UPDATE enrollments SET status = 'withdrawn', withdrawn_at = CURRENT_TIMESTAMP(3)
        WHERE course_id = ? AND user_id = ? AND status = 'active' ${among ? `AND user_id IN (${among.sql})` : ''}`,
      [courseId, userId, ...(among?.params ?? [])],
    );
    return result.affectedRows > 0;
  }

  /** Is the person in the course at all (only among `among`'s people, when given)? */
  async exists(courseId: string, userId: string, among: Subquery | null): Promise<boolean> {
    const rows = await this.manager().query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? ${among ? `AND user_id IN (${among.sql})` : ''} LIMIT 1`,
      [courseId, userId, ...(among?.params ?? [])],
    );
    return rows.length > 0;
  }

  async countActive(courseId: string, manager?: EntityManager): Promise<number> {
    const [{ total }] = await this.manager(manager).query(`SELECT COUNT(*) AS total FROM enrollments WHERE course_id = ? AND status = 'active'`, [courseId]);
    return Number(total);
  }

  /** The people of a course (active or withdrawn only, when given), as `user_id`. */
  userIdsOf(courseId: string, status?: 'active' | 'withdrawn'): Subquery {
    return {
      sql: `SELECT e.user_id FROM enrollments e WHERE e.course_id = ?${status ? ' AND e.status = ?' : ''}`,
      params: [courseId, ...(status ? [status] : [])],
    };
  }

  /** The person's enrolment status in the course, or null when never enrolled. */
  async statusOf(courseId: string, userId: string): Promise<'active' | 'withdrawn' | null> {
    const [row] = await this.manager().query(`SELECT status FROM enrollments WHERE course_id = ? AND user_id = ?`, [courseId, userId]);
    return row ? row.status : null;
  }

  async isActiveLearner(courseId: string, userId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await this.manager(manager).query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? AND status = 'active'`,
      [courseId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Whether the learner is actively enrolled, holding the enrolment under a shared lock: a withdrawal (which
   * locks the enrolment first) cannot slip between this check and what the caller's transaction writes.
   * (LOCK IN SHARE MODE: MariaDB has no FOR SHARE, MySQL 8 still takes this spelling.)
   */
  async holdsActiveEnrolment(courseId: string, userId: string, manager: EntityManager): Promise<boolean> {
    const enrolled: unknown[] = await manager.query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? AND status = 'active' LOCK IN SHARE MODE`,
      [courseId, userId],
    );
    return enrolled.length > 0;
  }

  /** The course's active learners, all or those among `within` (a subquery of user ids), in id order. */
  async findActiveLearnerIds(courseId: string, within?: Subquery): Promise<string[]> {
    const rows: { userId: string }[] = await this.manager().query(
      `SELECT user_id AS userId FROM enrollments WHERE course_id = ? AND status = 'active' ${within ? `AND user_id IN (${within.sql})` : ''} ORDER BY user_id`,
      [courseId, ...(within?.params ?? [])],
    );
    return rows.map((r) => String(r.userId));
  }

  /** Which of these users are active learners of the course. */
  async findActiveAmong(courseId: string, userIds: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { userId: string }[] = await this.manager().query(
      `SELECT user_id AS userId FROM enrollments WHERE course_id = ? AND status = 'active' AND user_id IN (?)`,
      [courseId, userIds],
    );
    return new Set(rows.map((r) => String(r.userId)));
  }

  /** The courses the person is enrolled in (active ones only, when asked), as `course_id`. */
  courseIdsOf(userId: string, activeOnly = false): Subquery {
    return { sql: `SELECT e.course_id FROM enrollments e WHERE e.user_id = ?${activeOnly ? " AND e.status = 'active'" : ''}`, params: [userId] };
  }

  /** The person's enrolments (withdrawn ones too), by course id. */
  async findByLearner(userId: string): Promise<Map<string, Omit<EnrollmentRow, 'userId' | 'source'>>> {
    const rows: Record<string, unknown>[] = await this.manager().query(
      `SELECT course_id AS courseId, status, enrolled_at AS enrolledAt, withdrawn_at AS withdrawnAt FROM enrollments WHERE user_id = ?`,
      [userId],
    );
    return new Map(
      rows.map((r) => [String(r.courseId), { status: r.status as EnrollmentRow['status'], enrolledAt: r.enrolledAt as Date, withdrawnAt: r.withdrawnAt as Date | null }]),
    );
  }

  /**
   * `course_id, user_id, active, unit_id, branch_id` of enrolments (of one course, of these learners, or both),
   * with the learner's unit and branch now from `places` (`id, unit_id, branch_id` of people, the users
   * table's owner's derived table): a derived table to join.
   */
  placements(filter: { courseId?: string; userIds?: string[] }, places: Subquery): Subquery {
    const where = [filter.courseId !== undefined ? 'e.course_id = ?' : '', filter.userIds ? 'e.user_id IN (?)' : ''].filter(Boolean);
    return {
      sql: `SELECT e.course_id, e.user_id, e.status = 'active' AS active, u.unit_id, u.branch_id
              FROM enrollments e JOIN (${places.sql}) u ON u.id = e.user_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
      params: [...places.params, ...(filter.courseId !== undefined ? [filter.courseId] : []), ...(filter.userIds ? [filter.userIds] : [])],
    };
  }

  /** These people's enrolments in the course, by user id. */
  async findByUsers(courseId: string, userIds: string[]): Promise<Map<string, EnrollmentRow>> {
    if (!userIds.length) return new Map();
    const rows: Record<string, unknown>[] = await this.manager().query(
      `SELECT user_id AS userId, status, source, enrolled_at AS enrolledAt, withdrawn_at AS withdrawnAt FROM enrollments WHERE course_id = ? AND user_id IN (?)`,
      [courseId, userIds],
    );
    return new Map(
      rows.map((r) => [
        String(r.userId),
        { userId: String(r.userId), status: r.status, source: r.source, enrolledAt: r.enrolledAt, withdrawnAt: r.withdrawnAt } as EnrollmentRow,
      ]),
    );
  }

  /** Which of these (course, person) pairs are enrolled already. */
  async enrolledPairs(userIds: string[], manager?: EntityManager): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { courseId: string; userId: string }[] = await this.manager(manager).query(
      `SELECT course_id AS courseId, user_id AS userId FROM enrollments WHERE user_id IN (?)`,
      [userIds],
    );
    return new Set(rows.map((row) => `${row.courseId}:${row.userId}`));
  }

  // ---- Rules: "everyone in this branch / unit / every secretary" ----

  async addRules(courseId: string, rules: { scope: RuleScope; targetId: string }[], manager?: EntityManager): Promise<void> {
    if (!rules.length) return;
    await this.manager(manager).query(
      `INSERT IGNORE INTO enrollment_rules (course_id, scope, target_id) VALUES ${rules.map(() => '(?, ?, ?)').join(', ')}`,
      rules.flatMap((rule) => [courseId, rule.scope, rule.targetId]),
    );
  }

  /** The rules of the courses `courses` selects. */
  async rulesOf(courses: Subquery, manager?: EntityManager): Promise<{ courseId: string; scope: RuleScope; targetId: string }[]> {
    const rows: Record<string, unknown>[] = await this.manager(manager).query(
      `SELECT course_id AS courseId, scope, target_id AS targetId FROM enrollment_rules WHERE course_id IN (${courses.sql})`,
      courses.params,
    );
    return rows.map((r) => ({ courseId: String(r.courseId), scope: r.scope as RuleScope, targetId: String(r.targetId) }));
  }
}
