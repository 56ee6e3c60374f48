import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface UserLabel {
  id: string;
  username: string;
  name: string;
  unitId: string | null;
  branchId: string | null;
}

/**
 * People as the learning activities (videos, readings, discussions, quizzes, sessions) show and filter them:
 * SQL on the users table only.
 */
@Injectable()
export class UsersActivitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Subquery: the ids of the people in a unit. */
  idsInUnit(unitId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT id FROM users WHERE unit_id = ?`, params: [unitId] };
  }

  /** The labels of a page of people, in one query. */
  async labelsByIds(ids: string[]): Promise<Map<string, UserLabel>> {
    if (!ids.length) return new Map();
    const rows: UserLabel[] = await this.dataSource.query(
      `SELECT id, username, name, unit_id AS unitId, branch_id AS branchId FROM users WHERE id IN (?)`,
      [[...new Set(ids)]],
    );
    return new Map(
      rows.map((r) => [
        String(r.id),
        { id: String(r.id), username: r.username, name: r.name, unitId: r.unitId === null ? null : String(r.unitId), branchId: r.branchId === null ? null : String(r.branchId) },
      ]),
    );
  }
}
