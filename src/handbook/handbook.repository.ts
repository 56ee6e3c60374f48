import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BranchRecord, RecordStatus } from './branch-record.entity';
import { RecordAttachment } from './record-attachment.entity';
import { RecordAttendance } from './record-attendance.entity';
import { RecordCorrection } from './record-correction.entity';

export interface RecordFilter {
  year?: number;
  kind?: string;
  status?: RecordStatus;
}

/** Which branches a review queue covers: one unit's, or (null) all. */
export type ReviewScope = { unitId: string } | null;

/** The handbook's tables: branch_records, record_attendance, record_attachments, record_corrections. */
@Injectable()
export class HandbookRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insertRecord(manager: EntityManager, row: Partial<BranchRecord>): Promise<BranchRecord> {
    return manager.getRepository(BranchRecord).save(manager.getRepository(BranchRecord).create(row));
  }

  findRecord(id: string, manager: EntityManager = this.dataSource.manager): Promise<BranchRecord | null> {
    return manager.getRepository(BranchRecord).findOneBy({ id });
  }

  /** The record's row, held until the transaction ends: writes to one record take turns. */
  lockRecord(manager: EntityManager, id: string): Promise<BranchRecord | null> {
    return manager.createQueryBuilder(BranchRecord, 'r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  async updateRecord(manager: EntityManager, id: string, values: Partial<BranchRecord>): Promise<void> {
    await manager.getRepository(BranchRecord).update({ id }, values);
  }

  /**
   * Moves a record from one status to another only if it is still in `from`: of two reviews at the same
   * moment, one changes the row and the other changes nothing (false).
   */
  async moveStatus(manager: EntityManager, id: string, from: RecordStatus, values: Partial<BranchRecord> & { status: RecordStatus }): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(BranchRecord)
      .set(values)
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** A branch's records, newest held first. */
  listByBranch(branchId: string, filter: RecordFilter, page: { skip: number; take: number }): Promise<[BranchRecord[], number]> {
    const query = this.dataSource.getRepository(BranchRecord).createQueryBuilder('r').where('r.branch_id = :branchId', { branchId });
    if (filter.year) query.andWhere('r.year = :year', { year: filter.year });
    if (filter.kind) query.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    return query.orderBy('r.held_at', 'DESC').addOrderBy('r.id', 'DESC').skip(page.skip).take(page.take).getManyAndCount();
  }

  /** All of a branch's records of a year, oldest first (the printed handbook and the ledger). */
  yearOfBranch(branchId: string, year: number): Promise<BranchRecord[]> {
    return this.dataSource.getRepository(BranchRecord).find({ where: { branchId, year }, order: { heldAt: 'ASC', id: 'ASC' } });
  }

  /** Records in a status across branches (of one unit, or all), oldest submitted first: the review queue. */
  listForReview(scope: ReviewScope, filter: RecordFilter & { branchIds?: string[] }, page: { skip: number; take: number }): Promise<[BranchRecord[], number]> {
    const query = this.dataSource.getRepository(BranchRecord).createQueryBuilder('r');
    if (scope) query.innerJoin('r.branch', 'b').where('b.unit_id = :unitId', { unitId: scope.unitId });
    else query.where('1 = 1');
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.year) query.andWhere('r.year = :year', { year: filter.year });
    if (filter.kind) query.andWhere('r.kind = :kind', { kind: filter.kind });
    return query.orderBy('r.submitted_at', 'ASC').addOrderBy('r.id', 'ASC').skip(page.skip).take(page.take).getManyAndCount();
  }

  async replaceAttendance(manager: EntityManager, recordId: string, rows: Omit<RecordAttendance, 'recordId'>[]): Promise<void> {
    const repository = manager.getRepository(RecordAttendance);
    await repository.delete({ recordId });
    if (rows.length) await repository.insert(rows.map((row) => ({ ...row, recordId })));
  }

  attendanceOf(recordIds: string[]): Promise<RecordAttendance[]> {
    if (!recordIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RecordAttendance)
      .createQueryBuilder('a')
      .where('a.record_id IN (:...recordIds)', { recordIds })
      .orderBy('a.present', 'DESC')
      .addOrderBy('a.member_name', 'ASC')
      .getMany();
  }

  insertAttachment(manager: EntityManager, row: Omit<RecordAttachment, 'id' | 'createdAt'>): Promise<RecordAttachment> {
    return manager.getRepository(RecordAttachment).save(manager.getRepository(RecordAttachment).create(row));
  }

  findAttachment(id: string): Promise<RecordAttachment | null> {
    return this.dataSource.getRepository(RecordAttachment).findOneBy({ id });
  }

  async deleteAttachment(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(RecordAttachment).delete({ id });
  }

  attachmentsOf(recordIds: string[], manager: EntityManager = this.dataSource.manager): Promise<RecordAttachment[]> {
    if (!recordIds.length) return Promise.resolve([]);
    return manager
      .getRepository(RecordAttachment)
      .createQueryBuilder('f')
      .where('f.record_id IN (:...recordIds)', { recordIds })
      .orderBy('f.id', 'ASC')
      .getMany();
  }

  insertCorrection(manager: EntityManager, row: Omit<RecordCorrection, 'id' | 'createdAt'>): Promise<RecordCorrection> {
    return manager.getRepository(RecordCorrection).save(manager.getRepository(RecordCorrection).create(row));
  }

  correctionsOf(recordIds: string[]): Promise<RecordCorrection[]> {
    if (!recordIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RecordCorrection)
      .createQueryBuilder('c')
      .where('c.record_id IN (:...recordIds)', { recordIds })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  /**
   * Per branch, the year's records handed in (submitted or accepted) and, of them, those handed in within
   * `withinDays` days of the meeting: whether the handbook is kept as the work happens.
   */
  async timelinessOf(year: number, branchIds: string[], withinDays: number): Promise<Map<string, { handedIn: number; onTime: number }>> {
    const figures = new Map<string, { handedIn: number; onTime: number }>();
    if (!branchIds.length) return figures;
    const rows: { branch_id: string; handed_in: string; on_time: string }[] = await this.dataSource.query(
      `SELECT branch_id, COUNT(*) AS handed_in, SUM(submitted_at <= DATE_ADD(held_at, INTERVAL ? DAY)) AS on_time
         FROM branch_records WHERE year = ? AND branch_id IN (?) AND status IN ('submitted', 'accepted')
        GROUP BY branch_id`,
      [withinDays, year, branchIds],
    );
    for (const r of rows) figures.set(String(r.branch_id), { handedIn: Number(r.handed_in), onTime: Number(r.on_time ?? 0) });
    return figures;
  }
}
