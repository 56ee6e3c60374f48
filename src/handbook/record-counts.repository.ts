import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The branch_work_counts table: each branch's accepted and submitted records by year and kind, recounted from
 * the records whenever one of them changes.
 */
@Injectable()
export class RecordCountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Recounts one branch's year from its records, in the caller's transaction. INSERT … SELECT reads the records
   * with shared locks, so a change of another record of the branch at the same moment is counted by whichever
   * of the two transactions commits second.
   */
  async recount(manager: EntityManager, branchId: string, year: number): Promise<void> {
    await manager.query(`DELETE FROM branch_work_counts WHERE year = ? AND branch_id = ?`, [year, branchId]);
    await manager.query(
      `INSERT INTO branch_work_counts (year, branch_id, kind, accepted, submitted)
       SELECT year, branch_id, kind, SUM(status = 'accepted'), SUM(status = 'submitted')
         FROM branch_records WHERE branch_id = ? AND year = ? AND status IN ('accepted', 'submitted')
        GROUP BY year, branch_id, kind`,
      [branchId, year],
    );
  }

  /** Accepted records of the year by branch and kind, for these branches. */
  async acceptedOf(year: number, branchIds: string[]): Promise<{ branchId: string; kind: string; accepted: number }[]> {
    if (!branchIds.length) return [];
    const rows: { branch_id: string; kind: string; accepted: number }[] = await this.dataSource.query(
      `SELECT branch_id, kind, accepted FROM branch_work_counts WHERE year = ? AND branch_id IN (?) AND accepted > 0`,
      [year, branchIds],
    );
    return rows.map((r) => ({ branchId: String(r.branch_id), kind: r.kind, accepted: Number(r.accepted) }));
  }
}
