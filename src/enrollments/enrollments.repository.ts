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

  /** The people of a course (active or withdrawn only, when given). */
  userIdsOf(courseId: string, status?: 'active' | 'withdrawn'): Subquery {
    return {
      sql: `SELECT e.user_id FROM enrollments e WHERE e.course_id = ?${status ? ' AND e.status = ?' : ''}`,
      params: [courseId, ...(status ? [status] : [])],
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
