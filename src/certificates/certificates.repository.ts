import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { CertificateBatch } from './certificate-batch.entity';
import { Certificate } from './certificate.entity';

/** Who a list of certificates is narrowed to: the admin's unit, and the unit or branch asked for. */
export interface CertificateScope {
  adminUnitId: string | null;
  unitId?: string;
  branchId?: string;
}

/** Learners who completed a course (`user_id, credit_hours, completed_at`), from the progress module. */
export type CompletedLearners = { sql: string; params: unknown[] };

export interface EligibleLearner {
  userId: string;
  creditHours: number;
  completedAt: Date | null;
}

/** A certificate as issued: everything but what later events (rendering, revocation) set. */
export type NewCertificate = Pick<
  Certificate,
  | 'courseId' | 'userId' | 'batchId' | 'seq' | 'serial' | 'verificationCode' | 'codeHash' | 'live' | 'name' | 'unitId' | 'unitName'
  | 'branchId' | 'branchName' | 'courseTitle' | 'creditHours' | 'completedAt' | 'issuedAt'
> & { reissueOfId?: string };

export interface CertificateCounts {
  unitName: string | null;
  branchName: string | null;
  live: number;
  revoked: number;
}

/** A unique key refused the row (a learner's second live certificate, a second reissue). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY';
}

/** The certificates, certificate_batches and certificate_sequences tables. */
@Injectable()
export class CertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // ---- certificates ----

  findPageForCourse(courseId: string, scope: CertificateScope, page: { skip: number; take: number }): Promise<[Certificate[], number]> {
    return this.scoped(courseId, scope).orderBy('c.seq').skip(page.skip).take(page.take).getManyAndCount();
  }

  findForUser(userId: string): Promise<Certificate[]> {
    return this.certificates().find({ where: { userId }, order: { issuedAt: 'DESC', id: 'DESC' } });
  }

  findById(id: string): Promise<Certificate | null> {
    return this.certificates().findOneBy({ id });
  }

  findByCodeHash(codeHash: string): Promise<Certificate | null> {
    return this.certificates().findOneBy({ codeHash });
  }

  hasLive(courseId: string, scope: CertificateScope): Promise<boolean> {
    return this.scoped(courseId, scope).andWhere('c.live = 1').getExists();
  }

  /** The next page of live certificates in serial order, after `afterSeq`. */
  findLiveAfter(courseId: string, scope: CertificateScope, afterSeq: number, take: number): Promise<Certificate[]> {
    return this.scoped(courseId, scope).andWhere('c.live = 1').andWhere('c.seq > :after', { after: afterSeq }).orderBy('c.seq').take(take).getMany();
  }

  /** Live and revoked certificates by the unit and branch printed on them. */
  async countByUnitAndBranch(courseId: string, adminUnitId: string | null): Promise<CertificateCounts[]> {
    const rows: Array<{ unitName: string | null; branchName: string | null; live: string; revoked: string }> = await this.dataSource.query(
      `SELECT c.unit_name AS unitName, c.branch_name AS branchName, SUM(c.live = 1) AS live, SUM(c.revoked_at IS NOT NULL) AS revoked
         FROM certificates c WHERE c.course_id = ? ${adminUnitId ? 'AND c.unit_id = ?' : ''}
        GROUP BY c.unit_id, c.unit_name, c.branch_id, c.branch_name ORDER BY c.unit_name, c.branch_name`,
      adminUnitId ? [courseId, adminUnitId] : [courseId],
    );
    return rows.map((r) => ({ unitName: r.unitName, branchName: r.branchName, live: Number(r.live), revoked: Number(r.revoked) }));
  }

  /** Revokes a live certificate; false when it was not live (already revoked, or no such id). */
  async revoke(id: string, revocation: { reason: string; by: string }, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.dataSource.manager)
      .createQueryBuilder()
      .update(Certificate)
      .set({ live: null, revokedAt: new Date(), revokedReason: revocation.reason, revokedBy: revocation.by })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return Boolean(result.affected);
  }

  /** The certificate, locked for the rest of the transaction. */
  lockById(id: string, manager: EntityManager): Promise<Certificate> {
    return manager.createQueryBuilder(Certificate, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOneOrFail();
  }

  insertOne(row: NewCertificate, manager: EntityManager): Promise<Certificate> {
    return manager.save(manager.create(Certificate, row));
  }

  async insertMany(rows: NewCertificate[], manager: EntityManager): Promise<void> {
    await manager.createQueryBuilder().insert().into(Certificate).values(rows).updateEntity(false).execute();
  }

  /** For each of these certificates, the one that replaced it by a reissue (one query). */
  async successorsOf(ids: string[]): Promise<Map<string, { id: string; serial: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.certificates().createQueryBuilder('c').select(['c.id', 'c.serial', 'c.reissueOfId']).where('c.reissueOfId IN (:...ids)', { ids }).getMany();
    return new Map(rows.map((c) => [c.reissueOfId!, { id: c.id, serial: c.serial }]));
  }

  /** Certificates of the course with `from` ≤ seq ≤ `to` still without a stored PDF, in serial order. */
  findUnrenderedInRange(courseId: string, from: number, to: number): Promise<Certificate[]> {
    return this.certificates()
      .createQueryBuilder('c')
      .where('c.courseId = :courseId AND c.seq BETWEEN :from AND :to AND c.pdfKey IS NULL', { courseId, from, to })
      .orderBy('c.seq')
      .getMany();
  }

  /**
   * The serial ranges, `size` wide and aligned on multiples of it (1–size, size+1–2·size, …), holding a
   * certificate of the course up to `upTo` without a stored PDF (one pass over the course's serial index).
   */
  async unrenderedRanges(courseId: string, size: number, upTo: number): Promise<Array<{ from: number; to: number }>> {
    const rows: Array<{ k: string }> = await this.dataSource.query(
      `SELECT DISTINCT FLOOR((seq - 1) / ?) AS k FROM certificates WHERE course_id = ? AND seq <= ? AND pdf_key IS NULL ORDER BY k`,
      [size, courseId, upTo],
    );
    return rows.map(({ k }) => ({ from: Number(k) * size + 1, to: Math.min((Number(k) + 1) * size, upTo) }));
  }

  /**
   * Whether a certificate of the course up to serial number `upTo` still lacks its stored PDF. Read from the
   * top down: ranges are rendered roughly in order, so one still waiting is found near the top, and the
   * rendered bottom is read through only at the very end.
   */
  async hasUnrendered(courseId: string, upTo: number): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM certificates WHERE course_id = ? AND seq <= ? AND pdf_key IS NULL ORDER BY seq DESC LIMIT 1`, [courseId, upTo]);
    return rows.length > 0;
  }

  /** Records the stored PDFs' keys (derived from course and id) on those still without one. */
  async recordPdfKeys(ids: string[]): Promise<void> {
    await this.certificates().update({ id: In(ids), pdfKey: IsNull() }, { pdfKey: () => "CONCAT('certificates/', course_id, '/', id, '.pdf')" });
  }

  // ---- learners who completed, against the certificates they hold ----

  /**
   * Up to `limit` of the completed learners without any certificate of the course (live or revoked), by id,
   * after the learner id `after`: a compile walks the list once with this cursor instead of reading past
   * everyone it already certified on every chunk (a thousand chunks at 100,000 learners).
   */
  findUncertified(courseId: string, completed: CompletedLearners, limit: number, after: string, manager?: EntityManager): Promise<EligibleLearner[]> {
    return (manager ?? this.dataSource.manager)
      .query(
        `SELECT s.user_id AS userId, s.credit_hours AS creditHours, s.completed_at AS completedAt FROM (${completed.sql}) s
          WHERE s.user_id > CAST(? AS UNSIGNED) AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = ? AND c.user_id = s.user_id)
          ORDER BY s.user_id LIMIT ?`,
        [...completed.params, after, courseId, limit],
      )
      .then((rows: Array<{ userId: string; creditHours: string; completedAt: Date | null }>) =>
        rows.map((r) => ({ userId: String(r.userId), creditHours: Number(r.creditHours), completedAt: r.completedAt })),
      );
  }

  /** How many completed; of them, how many hold a certificate of the course (`withPdf`: one whose PDF is stored). */
  async countCompleted(courseId: string, completed: CompletedLearners, options: { withPdf?: boolean } = {}): Promise<{ completed: number; certified: number }> {
    const [row] = await this.dataSource.query(
      `SELECT COUNT(*) AS completed,
              COALESCE(SUM(EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = ? AND c.user_id = s.user_id${options.withPdf ? ' AND c.pdf_key IS NOT NULL' : ''})), 0) AS certified
         FROM (${completed.sql}) s`,
      [courseId, ...completed.params],
    );
    return { completed: Number(row.completed), certified: Number(row.certified) };
  }

  // ---- serial counters ----

  async ensureSequence(courseId: string): Promise<void> {
    await this.dataSource.query(`INSERT IGNORE INTO certificate_sequences (course_id, last_seq) VALUES (?, 0)`, [courseId]);
  }

  /** The course's last serial number as committed (no lock: every serial up to it is issued). */
  async readSequence(courseId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT last_seq FROM certificate_sequences WHERE course_id = ?`, [courseId]);
    return Number(row?.last_seq ?? 0);
  }

  /** The course's last serial number, its counter row locked until the transaction ends. */
  async lockSequence(courseId: string, manager: EntityManager): Promise<number> {
    const [{ last_seq: lastSeq }] = await manager.query(`SELECT last_seq FROM certificate_sequences WHERE course_id = ? FOR UPDATE`, [courseId]);
    return Number(lastSeq);
  }

  async setSequence(courseId: string, lastSeq: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE certificate_sequences SET last_seq = ? WHERE course_id = ?`, [lastSeq, courseId]);
  }

  // ---- compile batches ----

  async createBatch(batch: Pick<CertificateBatch, 'courseId' | 'origin' | 'forced' | 'requestedBy'>, manager: EntityManager): Promise<CertificateBatch> {
    return manager.save(CertificateBatch, batch);
  }

  /** The batch closing starts, created once: its job id is unique, so a second insert is ignored. */
  async ensureCloseBatch(courseId: string, jobId: string): Promise<CertificateBatch | null> {
    await this.batches().createQueryBuilder().insert().values({ courseId, jobId, origin: 'close' }).orIgnore().execute();
    return this.batches().findOneBy({ jobId });
  }

  findBatch(where: { id: string; courseId: string } | { courseId: string; jobId: string }): Promise<CertificateBatch | null> {
    return this.batches().findOneBy(where);
  }

  /** The batch's last serial once its issuing ended; null while it goes on (read fresh, after a render's writes). */
  async issuedUpTo(batchId: string): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT issued_up_to FROM certificate_batches WHERE id = ?`, [batchId]);
    return row?.issued_up_to == null ? null : Number(row.issued_up_to);
  }

  async updateBatch(
    id: string,
    changes: Partial<Pick<CertificateBatch, 'jobId' | 'state' | 'total' | 'done' | 'issuedUpTo' | 'error' | 'startedAt' | 'finishedAt'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).update(CertificateBatch, { id }, changes);
  }

  async addIssued(batchId: string, count: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE certificate_batches SET issued = issued + ? WHERE id = ?`, [count, batchId]);
  }

  /** A render chunk's PDFs count towards the batch's progress at once (capped; the end recounts exactly). */
  async addDone(batchId: string, count: number): Promise<void> {
    await this.dataSource.query(`UPDATE certificate_batches SET done = LEAST(total, done + ?) WHERE id = ?`, [count, batchId]);
  }

  private scoped(courseId: string, scope: CertificateScope): SelectQueryBuilder<Certificate> {
    const query = this.certificates().createQueryBuilder('c').where('c.courseId = :courseId', { courseId });
    if (scope.adminUnitId) query.andWhere('c.unitId = :unit', { unit: scope.adminUnitId });
    if (scope.unitId) query.andWhere('c.unitId = :unitId', { unitId: scope.unitId });
    if (scope.branchId) query.andWhere('c.branchId = :branchId', { branchId: scope.branchId });
    return query;
  }

  private certificates() {
    return this.dataSource.getRepository(Certificate);
  }

  private batches() {
    return this.dataSource.getRepository(CertificateBatch);
  }
}
