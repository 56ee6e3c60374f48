import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A declared read model (see reports.repository.ts) for the reminders of the branch's year: which plan items
 * are due or overdue and not recorded, which records came back, to whom (the branch's secretaries today: the
 * work belongs to the branch, not to a person) — over the plans, the handbook's records and the users, read only.
 */

/** A reminder to one person about one plan item or record. */
export interface BranchWorkCandidate {
  subjectId: string;
  userId: string;
  /** For a returned record: when it was returned (a later return is a new reminder). */
  at?: Date;
}

export interface PlanItemForReminder {
  id: string;
  branchId: string;
  year: number;
  month: number;
  title: string;
  planStatus: string;
  /** Some record names the item (any state). */
  recorded: boolean;
  /** One of its records is accepted. */
  done: boolean;
}

export interface RecordForReminder {
  id: string;
  branchId: string;
  title: string;
  status: string;
  reviewComment: string | null;
  reviewedAt: Date | null;
}

const SECRETARIES = `JOIN users u ON u.branch_id = p.branch_id AND u.role = 'secretary' AND u.active = 1`;
const RECORDED = `(EXISTS (SELECT 1 FROM plan_item_records pr WHERE pr.plan_item_id = pi.id) OR EXISTS (SELECT 1 FROM branch_records r WHERE r.plan_item_id = pi.id))`;
const DONE = `(EXISTS (SELECT 1 FROM plan_item_records pr WHERE pr.plan_item_id = pi.id AND pr.accepted = 1)
               OR EXISTS (SELECT 1 FROM branch_records r WHERE r.plan_item_id = pi.id AND r.status = 'accepted'))`;

@Injectable()
export class BranchWorkRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Items of approved plans placed in `year`/`month` that no record names yet, with each of the branch's secretaries. */
  async dueUnrecorded(year: number, month: number): Promise<BranchWorkCandidate[]> {
    const rows: { id: string; user_id: string }[] = await this.dataSource.query(
      `SELECT pi.id, u.id AS user_id
         FROM plan_items pi JOIN branch_plans p ON p.id = pi.plan_id AND p.year = ? AND p.status = 'approved'
         ${SECRETARIES}
        WHERE pi.month = ? AND NOT ${RECORDED}`,
      [year, month],
    );
    return rows.map((r) => ({ subjectId: String(r.id), userId: String(r.user_id) }));
  }

  /** Items of approved plans placed in `year`/`month` (a month that is over) without an accepted record. */
  async overdue(year: number, month: number): Promise<BranchWorkCandidate[]> {
    const rows: { id: string; user_id: string }[] = await this.dataSource.query(
      `SELECT pi.id, u.id AS user_id
         FROM plan_items pi JOIN branch_plans p ON p.id = pi.plan_id AND p.year = ? AND p.status = 'approved'
         ${SECRETARIES}
        WHERE pi.month = ? AND NOT ${DONE}`,
      [year, month],
    );
    return rows.map((r) => ({ subjectId: String(r.id), userId: String(r.user_id) }));
  }

  /** Records returned since `since` and still returned, with each of their branch's secretaries. */
  async returnedSince(since: Date): Promise<BranchWorkCandidate[]> {
    const rows: { id: string; reviewed_at: Date; user_id: string }[] = await this.dataSource.query(
      `SELECT p.id, p.reviewed_at, u.id AS user_id
         FROM branch_records p ${SECRETARIES}
        WHERE p.status = 'returned' AND p.reviewed_at >= ?`,
      [since],
    );
    return rows.map((r) => ({ subjectId: String(r.id), userId: String(r.user_id), at: r.reviewed_at }));
  }

  /** Active unit admins and their unit. */
  async unitAdmins(): Promise<{ userId: string; unitId: string }[]> {
    const rows: { id: string; unit_id: string }[] = await this.dataSource.query(
      `SELECT id, unit_id FROM users WHERE role = 'admin' AND active = 1 AND unit_id IS NOT NULL`,
    );
    return rows.map((r) => ({ userId: String(r.id), unitId: String(r.unit_id) }));
  }

  async planItem(id: string): Promise<PlanItemForReminder | null> {
    const [row] = await this.dataSource.query(
      `SELECT pi.id, p.branch_id, p.year, pi.month, pi.title, p.status, ${RECORDED} AS recorded, ${DONE} AS done
         FROM plan_items pi JOIN branch_plans p ON p.id = pi.plan_id WHERE pi.id = ?`,
      [id],
    );
    if (!row) return null;
    return {
      id: String(row.id),
      branchId: String(row.branch_id),
      year: Number(row.year),
      month: Number(row.month),
      title: row.title,
      planStatus: row.status,
      recorded: Number(row.recorded) === 1,
      done: Number(row.done) === 1,
    };
  }

  async record(id: string): Promise<RecordForReminder | null> {
    const [row] = await this.dataSource.query(`SELECT id, branch_id, title, status, review_comment, reviewed_at FROM branch_records WHERE id = ?`, [id]);
    if (!row) return null;
    return { id: String(row.id), branchId: String(row.branch_id), title: row.title, status: row.status, reviewComment: row.review_comment, reviewedAt: row.reviewed_at };
  }

  /** Whether the person is today an active secretary of the branch (a replaced secretary is no longer reminded). */
  async isSecretaryOf(userId: string, branchId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT id FROM users WHERE id = ? AND branch_id = ? AND role = 'secretary' AND active = 1`, [userId, branchId]);
    return Boolean(row);
  }
}
