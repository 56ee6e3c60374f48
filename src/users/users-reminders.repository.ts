import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ReminderRecipient {
  id: string;
  name: string;
  email: string | null;
  weeklyDigest: boolean;
  role: string;
  unitId: string | null;
}

/** What reminders ask of the users table. */
@Injectable()
export class UsersRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for reminders

  /** Active people (ids). */
  activeIds(): { sql: string; params: unknown[] } {
    return { sql: `SELECT u.id FROM users u WHERE u.active = 1`, params: [] };
  }

  /** Active people who take the weekly digest (ids). */
  digestReaderIds(): { sql: string; params: unknown[] } {
    return { sql: `SELECT u.id FROM users u WHERE u.active = 1 AND u.weekly_digest = 1`, params: [] };
  }

  /**
   * The admins (`user_id`) who take the weekly summary of a course: the department's, and each unit admin
   * whose unit has one of the `learners` (ids).
   */
  summaryReaderIds(learners: { sql: string; params: unknown[] }): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT u.id AS user_id FROM users u
             WHERE u.role = 'admin' AND u.active = 1 AND u.weekly_digest = 1
               AND (u.unit_id IS NULL OR u.unit_id IN (SELECT DISTINCT l.unit_id FROM users l WHERE l.id IN (${learners.sql}) AND l.unit_id IS NOT NULL))`,
      params: learners.params,
    };
  }

  /** The people of a unit (ids). */
  idsInUnit(unitId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT u.id FROM users u WHERE u.unit_id = ?`, params: [unitId] };
  }

  /** The person a reminder goes to, if active. */
  async findActiveRecipient(id: string): Promise<ReminderRecipient | null> {
    const [row] = await this.dataSource.query(`SELECT id, name, email, active, weekly_digest, role, unit_id FROM users WHERE id = ?`, [id]);
    if (!row || Number(row.active) !== 1) return null;
    return {
      id: String(row.id),
      name: row.name,
      email: row.email ?? null,
      weeklyDigest: Number(row.weekly_digest) === 1,
      role: row.role,
      unitId: row.unit_id === null ? null : String(row.unit_id),
    };
  }

  /** The names of these people, in one query. */
  async namesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM users WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [String(r.id), r.name]));
  }
}
