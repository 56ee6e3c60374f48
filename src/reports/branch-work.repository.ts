import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * A declared read model (see reports.repository.ts): the SQL of branch-work oversight over the branches, units
 * and the handbook's records, for reporting only — nothing here writes. The overview reads every branch in
 * scope once and reads the year's stored counts of accepted and submitted records by branch and kind
 * (branch_work_counts, kept by the handbook with every change of a record): two queries whatever the number of branches.
 */

export interface BranchInScope {
  id: string;
  name: string;
  kind: 'staff' | 'student';
  unitId: string;
  unit: string;
}

/** A branch's counts for the year: accepted records by norm kind (in the order asked) and records waiting for review. */
export interface BranchRecordCounts {
  branchId: string;
  accepted: number[];
  waiting: number;
}

export interface OversightRecord {
  id: string;
  kind: string;
  title: string;
  heldAt: Date;
  status: 'draft' | 'submitted' | 'accepted' | 'returned';
  submittedAt: Date | null;
  reviewedAt: Date | null;
}

/** Which branches: one unit's (null: all), or one branch. */
export interface BranchFilter {
  unitId: string | null;
  branchId?: string;
}

@Injectable()
export class BranchWorkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async unitExists(unitId: string): Promise<boolean> {
    const [unit] = await this.dataSource.query(`SELECT id FROM units WHERE id = ?`, [unitId]);
    return Boolean(unit);
  }

  /** The branches in scope with their unit, by unit name then branch name. */
  async branches(filter: BranchFilter): Promise<BranchInScope[]> {
    const { where, params } = branchWhere(filter);
    const rows: { id: string; name: string; kind: 'staff' | 'student'; unit_id: string; unit: string }[] = await this.dataSource.query(
      `SELECT b.id, b.name, b.kind, b.unit_id, u.name AS unit
         FROM branches b JOIN units u ON u.id = b.unit_id
        ${where}
        ORDER BY u.name, b.name, b.id`,
      params,
    );
    return rows.map((r) => ({ id: String(r.id), name: r.name, kind: r.kind, unitId: String(r.unit_id), unit: r.unit }));
  }

  /**
   * Accepted records of the year per branch and norm kind (in the order of `kinds`) and submitted ones (waiting
   * for review), for the branches in scope that have any: one range of the stored counts (branch_work_counts,
   * kept with every change of a record), a row per branch and kind instead of one per record.
   */
  async recordCounts(year: number, kinds: string[], filter: BranchFilter): Promise<BranchRecordCounts[]> {
    const { where, params } = branchWhere(filter);
    const join = filter.unitId !== null || filter.branchId ? 'JOIN branches b ON b.id = c.branch_id' : '';
    const and = where ? ` AND ${where.replace(/^WHERE /, '')}` : '';
    const rows: { branch_id: string; kind: string; accepted: number; submitted: number }[] = await this.dataSource.query(
      `SELECT c.branch_id, c.kind, c.accepted, c.submitted FROM branch_work_counts c ${join} WHERE c.year = ?${and}`,
      [year, ...params],
    );
    const column = new Map(kinds.map((kind, i) => [kind, i]));
    const byBranch = new Map<string, BranchRecordCounts>();
    for (const r of rows) {
      const branchId = String(r.branch_id);
      let counts = byBranch.get(branchId);
      if (!counts) byBranch.set(branchId, (counts = { branchId, accepted: kinds.map(() => 0), waiting: 0 }));
      const i = column.get(r.kind);
      if (i !== undefined) counts.accepted[i] += Number(r.accepted);
      counts.waiting += Number(r.submitted);
    }
    return [...byBranch.values()];
  }

  /** A branch's records of the year (every status), by when they were held. */
  async recordsOf(branchId: string, year: number): Promise<OversightRecord[]> {
    const rows: { id: string; kind: string; title: string; held_at: Date; status: OversightRecord['status']; submitted_at: Date | null; reviewed_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT id, kind, title, held_at, status, submitted_at, reviewed_at
           FROM branch_records WHERE branch_id = ? AND year = ?
          ORDER BY held_at, id`,
        [branchId, year],
      );
    return rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      title: r.title,
      heldAt: r.held_at,
      status: r.status,
      submittedAt: r.submitted_at,
      reviewedAt: r.reviewed_at,
    }));
  }
}

function branchWhere(filter: BranchFilter): { where: string; params: string[] } {
  if (filter.branchId) {
    return filter.unitId !== null
      ? { where: 'WHERE b.id = ? AND b.unit_id = ?', params: [filter.branchId, filter.unitId] }
      : { where: 'WHERE b.id = ?', params: [filter.branchId] };
  }
  return filter.unitId !== null ? { where: 'WHERE b.unit_id = ?', params: [filter.unitId] } : { where: '', params: [] };
}
