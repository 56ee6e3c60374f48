import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { like } from '../common/like';

/** Who may learn: active secretaries (chosen when they are enrolled). */
const LEARNER = `u.role = 'secretary' AND u.active = 1`;

export interface LearnerRow {
  id: string;
  username: string;
  name: string;
  branchId: string | null;
  unitId: string | null;
}

/** The users table as the enrollments module asks it. */
@Injectable()
export class UsersEnrollmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for enrollments
  /** Learners among these people, of these branches or units, or all of them (then `where` is omitted). */
  learnerIds(where?: { userIds?: string[]; branchIds?: string[]; unitIds?: string[] }): Subquery {
    if (where?.userIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.id IN (?)`, params: [where.userIds] };
    if (where?.branchIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.branch_id IN (?)`, params: [where.branchIds] };
    if (where?.unitIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.unit_id IN (?)`, params: [where.unitIds] };
    return { sql: `SELECT u.id FROM users u WHERE ${LEARNER}`, params: [] };
  }

  /** The people of a unit. */
  idsInUnit(unitId: string): Subquery {
    return { sql: 'SELECT u.id FROM users u WHERE u.unit_id = ?', params: [unitId] };
  }

  /** Which of these people are learners (in the unit, when given). */
  async learnersAmong(userIds: string[], unitId: string | null): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT u.id FROM users u WHERE u.id IN (?) AND ${LEARNER}${unitId !== null ? ' AND u.unit_id = ?' : ''}`,
      [userIds, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** The learners among these people, with where they are placed. */
  async placedLearners(userIds: string[], manager?: EntityManager): Promise<LearnerRow[]> {
    if (!userIds.length) return [];
    const rows: Record<string, unknown>[] = await (manager ?? this.dataSource.manager).query(
      `SELECT u.id, u.username, u.name, u.branch_id AS branchId, u.unit_id AS unitId FROM users u WHERE u.id IN (?) AND ${LEARNER}`,
      [userIds],
    );
    return rows.map(toLearnerRow);
  }

  /**
   * A page of the people selected by `idIn` (an owner's subquery, e.g. a course's enrolments), by 工号,
   * filtered by units (each must hold: a unit admin's own and a chosen one), branch and a name or 工号 search, with the total.
   */
  async pageOf(
    idIn: Subquery,
    filter: { unitIds: string[]; branchId?: string; q?: string },
    page: { skip: number; take: number },
  ): Promise<{ rows: LearnerRow[]; total: number }> {
    const where = [`u.id IN (${idIn.sql})`];
    const params: unknown[] = [...idIn.params];
    for (const unitId of filter.unitIds) {
      where.push('u.unit_id = ?');
      params.push(unitId);
    }
    if (filter.branchId) {
      where.push('u.branch_id = ?');
      params.push(filter.branchId);
    }
    if (filter.q) {
      where.push('(u.name LIKE ? OR u.username LIKE ?)');
      params.push(like(filter.q), like(filter.q));
    }
    const clause = where.join(' AND ');
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM users u WHERE ${clause}`, params);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.id, u.username, u.name, u.branch_id AS branchId, u.unit_id AS unitId FROM users u WHERE ${clause} ORDER BY u.username LIMIT ? OFFSET ?`,
      [...params, page.take, page.skip],
    );
    return { rows: rows.map(toLearnerRow), total: Number(total) };
  }
}

function toLearnerRow(row: Record<string, unknown>): LearnerRow {
  return {
    id: String(row.id),
    username: row.username as string,
    name: row.name as string,
    branchId: row.branchId === null ? null : String(row.branchId),
    unitId: row.unitId === null ? null : String(row.unitId),
  };
}
