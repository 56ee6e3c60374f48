import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AssessmentAdjustment,
  AssessmentAuditEntry,
  AssessmentManualScore,
  AssessmentResult,
  AssessmentRound,
  AssessmentSchemeRow,
} from './assessment.entity';
import type { IndicatorEvidence } from './assessment-scheme';

/** A branch as a round lists it before its evidence is counted. */
export type RoundBranch = Pick<AssessmentResult, 'branchId' | 'seq' | 'unitId' | 'branchKind'>;

/** Rows per INSERT when a round lists its branches (12,000 branches: 12 statements). */
const INSERT_BATCH = 1000;

/** The assessment tables: schemes, rounds, per-branch results, manual scores, adjustments and the audit trail. */
@Injectable()
export class AssessmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  findScheme(year: number): Promise<AssessmentSchemeRow | null> {
    return this.dataSource.getRepository(AssessmentSchemeRow).findOneBy({ year });
  }

  async saveScheme(row: AssessmentSchemeRow): Promise<void> {
    await this.dataSource.getRepository(AssessmentSchemeRow).upsert(row, ['year']);
  }

  async insertRound(fields: Pick<AssessmentRound, 'year' | 'schemeYear' | 'scheme' | 'norms' | 'asOf' | 'createdBy'>): Promise<AssessmentRound> {
    const repository = this.dataSource.getRepository(AssessmentRound);
    return repository.save(repository.create(fields));
  }

  findRound(id: string, manager?: EntityManager): Promise<AssessmentRound | null> {
    return this.manager(manager).findOneBy(AssessmentRound, { id });
  }

  /** The round, locked until the caller's transaction ends: score changes and publishing take turns on it. */
  lockRound(manager: EntityManager, id: string): Promise<AssessmentRound | null> {
    return manager.getRepository(AssessmentRound).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  async updateRound(id: string, changes: Partial<AssessmentRound>, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(AssessmentRound, { id }, changes);
  }

  /** Newest first; of one year when given. */
  listRounds(year?: number): Promise<AssessmentRound[]> {
    return this.dataSource.getRepository(AssessmentRound).find({ where: year ? { year } : {}, order: { id: 'DESC' }, take: 100 });
  }

  findPublishedRound(year: number): Promise<AssessmentRound | null> {
    return this.dataSource.getRepository(AssessmentRound).findOneBy({ publishedYear: year });
  }

  /** The year's newest round whose evidence is counted (published or not). */
  findLatestComputedRound(year: number): Promise<AssessmentRound | null> {
    return this.dataSource.getRepository(AssessmentRound).findOne({ where: { year, state: In(['computed', 'published']) }, order: { id: 'DESC' } });
  }

  /** Lists the round's branches; a repeated call (a retried job) adds only those missing. */
  async insertBranches(roundId: string, branches: RoundBranch[]): Promise<void> {
    for (let i = 0; i < branches.length; i += INSERT_BATCH) {
      const batch = branches.slice(i, i + INSERT_BATCH);
      await this.dataSource.query(
        `INSERT IGNORE INTO assessment_results (round_id, branch_id, seq, unit_id, branch_kind) VALUES ${batch.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((b) => [roundId, b.branchId, b.seq, b.unitId, b.branchKind]),
      );
    }
  }

  /** The branches of one chunk [fromSeq, toSeq) whose evidence is not yet counted. */
  async pendingBranches(roundId: string, fromSeq: number, toSeq: number): Promise<RoundBranch[]> {
    const rows: { branch_id: string; seq: number; unit_id: string; branch_kind: string }[] = await this.dataSource.query(
      `SELECT branch_id, seq, unit_id, branch_kind FROM assessment_results WHERE round_id = ? AND seq >= ? AND seq < ? AND computed_at IS NULL ORDER BY seq`,
      [roundId, fromSeq, toSeq],
    );
    return rows.map((r) => ({ branchId: String(r.branch_id), seq: Number(r.seq), unitId: String(r.unit_id), branchKind: r.branch_kind }));
  }

  /**
   * Stores a chunk's evidence in one statement. A branch already counted (by a duplicated job that got there
   * first) keeps its first evidence: it is frozen once written.
   */
  async saveEvidence(roundId: string, rows: Array<RoundBranch & { evidence: Record<string, IndicatorEvidence> }>, at: Date): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(
      `INSERT INTO assessment_results (round_id, branch_id, seq, unit_id, branch_kind, evidence, computed_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE evidence = IF(computed_at IS NULL, VALUES(evidence), evidence), computed_at = COALESCE(computed_at, VALUES(computed_at))`,
      rows.flatMap((r) => [roundId, r.branchId, r.seq, r.unitId, r.branchKind, JSON.stringify(r.evidence), at]),
    );
  }

  /** Counts the round's computed branches into `done` and marks the round computed once all are. */
  async recordProgress(roundId: string): Promise<{ done: number; total: number; finished: boolean }> {
    const [row]: { done: string }[] = await this.dataSource.query(`SELECT COUNT(*) AS done FROM assessment_results WHERE round_id = ? AND computed_at IS NOT NULL`, [roundId]);
    const done = Number(row.done);
    await this.dataSource.query(`UPDATE assessment_rounds SET done = GREATEST(done, ?) WHERE id = ?`, [done, roundId]);
    const finished = await this.dataSource.query(`UPDATE assessment_rounds SET state = 'computed', error = NULL WHERE id = ? AND state IN ('computing', 'failed') AND listed = 1 AND done >= total`, [roundId]);
    const [round]: { total: number }[] = await this.dataSource.query(`SELECT total FROM assessment_rounds WHERE id = ?`, [roundId]);
    return { done, total: Number(round.total), finished: Number((finished as { affectedRows?: number }).affectedRows ?? 0) > 0 };
  }

  /** The round's results, of one unit or one branch when given, in branch order. */
  results(roundId: string, filter: { unitId?: string | null; branchId?: string } = {}): Promise<AssessmentResult[]> {
    return this.dataSource.getRepository(AssessmentResult).find({
      where: { roundId, ...(filter.unitId ? { unitId: filter.unitId } : {}), ...(filter.branchId ? { branchId: filter.branchId } : {}) },
      order: { seq: 'ASC' },
    });
  }

  findResult(roundId: string, branchId: string, manager?: EntityManager): Promise<AssessmentResult | null> {
    return this.manager(manager).findOneBy(AssessmentResult, { roundId, branchId });
  }

  /** Writes the totals, grades and ranks of publishing, 1,000 rows per statement. */
  async saveFinalResults(manager: EntityManager, roundId: string, rows: { branchId: string; score: number; grade: string; rank: number; unitRank: number }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const batch = rows.slice(i, i + INSERT_BATCH);
      await manager.query(
        `INSERT INTO assessment_results (round_id, branch_id, seq, unit_id, branch_kind, score, grade, \`rank\`, unit_rank)
         VALUES ${batch.map(() => "(?, ?, 0, 0, '', ?, ?, ?, ?)").join(', ')}
         ON DUPLICATE KEY UPDATE score = VALUES(score), grade = VALUES(grade), \`rank\` = VALUES(\`rank\`), unit_rank = VALUES(unit_rank)`,
        batch.flatMap((r) => [roundId, r.branchId, r.score, r.grade, r.rank, r.unitRank]),
      );
    }
  }

  /** A page of a published round in rank order (ties in round order). */
  resultsByRank(roundId: string, offset: number, limit: number): Promise<AssessmentResult[]> {
    return this.dataSource.getRepository(AssessmentResult).find({ where: { roundId }, order: { rank: 'ASC', seq: 'ASC' }, skip: offset, take: limit });
  }

  async manualScores(roundId: string, branchIds?: string[]): Promise<AssessmentManualScore[]> {
    if (branchIds && !branchIds.length) return [];
    return this.dataSource.getRepository(AssessmentManualScore).find({ where: { roundId, ...(branchIds ? { branchId: In(branchIds) } : {}) } });
  }

  async countManualScores(roundId: string, keys: string[], manager?: EntityManager): Promise<number> {
    if (!keys.length) return 0;
    return this.manager(manager).countBy(AssessmentManualScore, { roundId, key: In(keys) });
  }

  async upsertManualScore(manager: EntityManager, row: AssessmentManualScore): Promise<void> {
    await manager.getRepository(AssessmentManualScore).upsert(row, ['roundId', 'branchId', 'key']);
  }

  async adjustments(roundId: string, filter: { branchIds?: string[]; state?: AssessmentAdjustment['state'] } = {}): Promise<AssessmentAdjustment[]> {
    if (filter.branchIds && !filter.branchIds.length) return [];
    return this.dataSource.getRepository(AssessmentAdjustment).find({
      where: { roundId, ...(filter.branchIds ? { branchId: In(filter.branchIds) } : {}), ...(filter.state ? { state: filter.state } : {}) },
      order: { id: 'ASC' },
    });
  }

  findAdjustment(manager: EntityManager, roundId: string, id: string): Promise<AssessmentAdjustment | null> {
    return manager.findOneBy(AssessmentAdjustment, { roundId, id });
  }

  countAdjustments(manager: EntityManager, roundId: string, state: AssessmentAdjustment['state']): Promise<number> {
    return manager.countBy(AssessmentAdjustment, { roundId, state });
  }

  insertAdjustment(manager: EntityManager, row: Pick<AssessmentAdjustment, 'roundId' | 'branchId' | 'key' | 'score' | 'reason' | 'proposedBy'>): Promise<AssessmentAdjustment> {
    return manager.getRepository(AssessmentAdjustment).save(manager.getRepository(AssessmentAdjustment).create(row));
  }

  /** Withdraws the branch's open proposals for the indicator (a newer one replaces them): they are rejected. */
  async closeOpenAdjustments(manager: EntityManager, roundId: string, branchId: string, key: string, by: string): Promise<void> {
    await manager.update(
      AssessmentAdjustment,
      { roundId, branchId, key, state: 'proposed' },
      { state: 'rejected', decidedBy: by, decidedAt: new Date(), decisionComment: '已由新的调整申请代替' },
    );
  }

  async decideAdjustment(manager: EntityManager, id: string, changes: Pick<AssessmentAdjustment, 'state' | 'decidedBy' | 'decidedAt' | 'decisionComment'>): Promise<void> {
    await manager.update(AssessmentAdjustment, { id }, changes);
  }

  async audit(manager: EntityManager, entry: Omit<AssessmentAuditEntry, 'id' | 'createdAt'>): Promise<void> {
    await manager.getRepository(AssessmentAuditEntry).insert(entry);
  }

  auditOf(roundId: string, branchId: string): Promise<AssessmentAuditEntry[]> {
    return this.dataSource.getRepository(AssessmentAuditEntry).find({ where: { roundId, branchId }, order: { id: 'ASC' } });
  }
}
