import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, QueryFailedError } from 'typeorm';
import { assertDepartment, AuthUser } from '../common/auth-user';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CourseAccessService } from '../access/course-access.service';
import { Course } from '../courses/course.entity';
import { JOB_DEFINITIONS, JobPayloads } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import { CertificateBatch } from './certificate-batch.entity';
import { chinaDate, formatSerial, hashVerificationCode, newVerificationCode } from './certificate-codes';
import { Certificate } from './certificate.entity';
import { CertificateFiles } from './certificate-files.service';

export interface CompileProgressView {
  jobId: string;
  courseId: string;
  state: CertificateBatch['state'];
  done: number;
  total: number;
  issued: number;
  forced: boolean;
  origin: CertificateBatch['origin'];
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ClosePreviewView {
  status: Course['status'];
  /** Active learners of the course. */
  learners: number;
  /** Of them, those who completed it. */
  completed: number;
  /** Completed learners without any certificate of the course: the compile issues one to each. */
  willBeCertified: number;
  /** Completed learners who already hold one (live or revoked): never issued again. */
  alreadyCertified: number;
}

/** Who gets a certificate: those who completed per the frozen snapshot, or per live progress when forced early. */
function eligibleFrom(source: 'snapshot' | 'live'): string {
  return source === 'snapshot'
    ? `FROM course_results s WHERE s.course_id = ? AND s.completed = 1`
    : `FROM course_progress s JOIN enrollments e ON e.course_id = s.course_id AND e.user_id = s.user_id AND e.status = 'active'
       WHERE s.course_id = ? AND s.completed = 1`;
}

/**
 * Compiles a course's certificates in chunks. Each chunk allocates serials and inserts its certificates in
 * one transaction (the per-course counter row is locked, so a rolled-back chunk leaves no gap), then renders
 * and stores their PDFs. Learners who already hold a certificate of the course — live or revoked — are never
 * chosen again, so a rerun, a retried job or a second worker issues nothing twice, and a run killed at any
 * point resumes by rendering what lacks a PDF and carrying on with the learners still without one.
 */
@Injectable()
export class CertificateCompiler {
  private readonly logger = new Logger(CertificateCompiler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
    private readonly jobs: JobsService,
    private readonly files: CertificateFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** POST /courses/:id/certificates/compile: records a batch and queues its job. */
  async request(courseId: string, actor: AuthUser, force: boolean): Promise<{ jobId: string }> {
    const { course } = await this.access.view(courseId, actor);
    assertDepartment(actor, '编制结业证书');
    if (course.status === 'draft') {
      throw new ConflictException({ message: '培训班尚未发布，不能编制结业证书', code: 'COURSE_NOT_PUBLISHED' });
    }
    if (course.status !== 'closed' && !force) {
      throw new ConflictException({
        message: '培训班尚未结业，不能编制结业证书；如确需按当前进度提前编制，请选择提前编制',
        code: 'COURSE_NOT_CLOSED',
      });
    }
    const payload = await this.dataSource.transaction(async (manager) => {
      const batch = await manager.save(CertificateBatch, { courseId, origin: 'admin', forced: course.status !== 'closed', requestedBy: actor.id });
      const batchPayload = { courseId, batchId: batch.id };
      await manager.update(CertificateBatch, { id: batch.id }, { jobId: JOB_DEFINITIONS['certificates.compile'].id(batchPayload) });
      return batchPayload;
    });
    const job = await this.jobs.enqueue('certificates.compile', payload);
    return { jobId: job.id! };
  }

  async progress(courseId: string, jobId: string, actor: AuthUser): Promise<CompileProgressView> {
    const { course } = await this.access.view(courseId, actor);
    const batch = await this.dataSource.getRepository(CertificateBatch).findOneBy({ courseId, jobId });
    // The compile that closing queued records its batch when a worker takes it up: until then it is waiting.
    if (!batch && course.status === 'closed' && jobId === JOB_DEFINITIONS['certificates.compile'].id({ courseId })) {
      return { jobId, courseId, state: 'queued', done: 0, total: 0, issued: 0, forced: false, origin: 'close', error: null, createdAt: course.closedAt ?? new Date(), startedAt: null, finishedAt: null };
    }
    if (!batch) throw new NotFoundException({ message: '没有这次编制任务', code: 'COMPILE_JOB_NOT_FOUND' });
    return toProgressView(batch);
  }

  /**
   * What closing the course would mean for certificates, for the confirmation the department reads first:
   * active learners, those who completed (live progress, which closing freezes; the snapshot once closed),
   * and of those, who already hold a certificate (never issued twice) and who would get one now.
   */
  async closePreview(courseId: string, actor: AuthUser): Promise<ClosePreviewView> {
    const { course } = await this.access.view(courseId, actor);
    assertDepartment(actor, '结业培训班');
    const source = course.status === 'closed' ? 'snapshot' : 'live';
    const [{ learners }] = await this.dataSource.query(`SELECT COUNT(*) AS learners FROM enrollments WHERE course_id = ? AND status = 'active'`, [courseId]);
    const [{ completed, certified }] = await this.dataSource.query(
      `SELECT COUNT(*) AS completed,
              COALESCE(SUM(EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = s.course_id AND c.user_id = s.user_id)), 0) AS certified
       ${eligibleFrom(source)}`,
      [courseId],
    );
    return {
      status: course.status,
      learners: Number(learners),
      completed: Number(completed),
      alreadyCertified: Number(certified),
      willBeCertified: Number(completed) - Number(certified),
    };
  }

  /** The certificates.compile job. */
  async run(payload: JobPayloads['certificates.compile'], job?: Job): Promise<{ issued: number; total: number } | 'skipped'> {
    const batch = await this.batchFor(payload);
    if (!batch || batch.state === 'done') return 'skipped';
    try {
      return await this.compile(batch, job);
    } catch (error) {
      const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.dataSource
        .getRepository(CertificateBatch)
        .update({ id: batch.id }, { error: String((error as Error).message ?? error).slice(0, 500), ...(last ? { state: 'failed' as const } : {}) });
      throw error;
    }
  }

  /** The admin's batch, or the one closing starts (created here, once: its job id is unique). */
  private async batchFor(payload: JobPayloads['certificates.compile']): Promise<CertificateBatch | null> {
    const batches = this.dataSource.getRepository(CertificateBatch);
    if (payload.batchId) return batches.findOneBy({ id: payload.batchId, courseId: payload.courseId });
    const jobId = JOB_DEFINITIONS['certificates.compile'].id(payload);
    await batches.createQueryBuilder().insert().values({ courseId: payload.courseId, jobId, origin: 'close' }).orIgnore().execute();
    return batches.findOneBy({ jobId });
  }

  private async compile(batch: CertificateBatch, job?: Job): Promise<{ issued: number; total: number }> {
    const batches = this.dataSource.getRepository(CertificateBatch);
    const course = await this.dataSource.getRepository(Course).findOneBy({ id: batch.courseId });
    if (!course || course.status === 'draft' || (course.status !== 'closed' && !batch.forced)) {
      await batches.update({ id: batch.id }, { state: 'failed', error: '培训班尚未结业', finishedAt: new Date() });
      return { issued: 0, total: 0 };
    }
    // Once closed, the frozen snapshot decides, even for a run that was forced while the course was open.
    const source = course.status === 'closed' ? 'snapshot' : 'live';
    const total = await this.count(source, course.id, false);
    let done = await this.count(source, course.id, true);
    await batches.update({ id: batch.id }, { state: 'running', total, done, startedAt: batch.startedAt ?? new Date(), error: null });
    await this.dataSource.query(`INSERT IGNORE INTO certificate_sequences (course_id, last_seq) VALUES (?, 0)`, [course.id]);

    const chunk = this.config.certificates.chunkSize;
    let issued = batch.issued;
    for (;;) {
      // First whatever was issued without its PDF (by a run that died between the two steps), then new ones.
      const unrendered = await this.dataSource
        .getRepository(Certificate)
        .createQueryBuilder('c')
        .where('c.courseId = :courseId AND c.pdfKey IS NULL', { courseId: course.id })
        .orderBy('c.id')
        .take(chunk)
        .getMany();
      if (unrendered.length) {
        await this.files.store(unrendered, course);
        done = Math.min(total, done + unrendered.length);
        await batches.update({ id: batch.id }, { done });
        await job?.updateProgress({ done, total });
        continue;
      }
      const added = await this.issueChunk(course, source, batch.id, chunk);
      if (added === 0) break;
      issued += added;
    }
    done = await this.count(source, course.id, true);
    await batches.update({ id: batch.id }, { state: 'done', done, total, finishedAt: new Date() });
    this.logger.log(`course ${course.id}: ${issued} certificate(s) issued by batch ${batch.id}, ${done}/${total} hold one`);
    return { issued, total };
  }

  /** Issues up to `size` certificates in one transaction; 0 when nobody is left. */
  private async issueChunk(course: Course, source: 'snapshot' | 'live', batchId: string, size: number): Promise<number> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        // Lock the counter first: the read below then sees every chunk committed before ours.
        const [{ last_seq: lastSeq }] = await manager.query(`SELECT last_seq FROM certificate_sequences WHERE course_id = ? FOR UPDATE`, [course.id]);
        const learners: Array<{ userId: string; creditHours: string; completedAt: Date | null; name: string; unitId: string | null; unitName: string | null; branchId: string | null; branchName: string | null }> =
          await manager.query(
            `SELECT s.user_id AS userId, s.credit_hours AS creditHours, s.completed_at AS completedAt, u.name, u.unit_id AS unitId, un.name AS unitName, u.branch_id AS branchId, b.name AS branchName
               ${eligibleFrom(source).replace('WHERE', 'JOIN users u ON u.id = s.user_id LEFT JOIN units un ON un.id = u.unit_id LEFT JOIN branches b ON b.id = u.branch_id WHERE')}
                AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = s.course_id AND c.user_id = s.user_id)
              ORDER BY s.user_id LIMIT ?`,
            [course.id, size],
          );
        if (!learners.length) return 0;
        const year = chinaDate(course.startsAt).year;
        const issuedAt = new Date();
        const rows = learners.map((learner, i) => {
          const seq = Number(lastSeq) + i + 1;
          const code = newVerificationCode();
          return {
            courseId: course.id,
            userId: String(learner.userId),
            batchId,
            seq,
            serial: formatSerial(year, seq),
            verificationCode: code,
            codeHash: hashVerificationCode(code),
            live: true as const,
            name: learner.name,
            unitId: learner.unitId === null ? null : String(learner.unitId),
            unitName: learner.unitName,
            branchId: learner.branchId === null ? null : String(learner.branchId),
            branchName: learner.branchName,
            courseTitle: course.title,
            creditHours: Number(learner.creditHours),
            completedAt: learner.completedAt,
            issuedAt,
          };
        });
        await manager.createQueryBuilder().insert().into(Certificate).values(rows).updateEntity(false).execute();
        await manager.query(`UPDATE certificate_sequences SET last_seq = ? WHERE course_id = ?`, [Number(lastSeq) + rows.length, course.id]);
        await manager.query(`UPDATE certificate_batches SET issued = issued + ? WHERE id = ?`, [rows.length, batchId]);
        return rows.length;
      });
    } catch (error) {
      // Another run issued to one of these learners first (a reissue, or a second worker): the whole chunk
      // rolled back, serials included; the next pass chooses again without them.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') return this.issueChunk(course, source, batchId, size);
      throw error;
    }
  }

  /** Learners who completed (`withPdf`: of those, who hold a certificate whose PDF is stored). */
  private async count(source: 'snapshot' | 'live', courseId: string, withPdf: boolean): Promise<number> {
    const holds = withPdf ? ` AND EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = s.course_id AND c.user_id = s.user_id AND c.pdf_key IS NOT NULL)` : '';
    const [{ n }] = await this.dataSource.query(`SELECT COUNT(*) AS n ${eligibleFrom(source)}${holds}`, [courseId]);
    return Number(n);
  }
}

function toProgressView(batch: CertificateBatch): CompileProgressView {
  return {
    jobId: batch.jobId ?? '',
    courseId: batch.courseId,
    state: batch.state,
    done: batch.done,
    total: batch.total,
    issued: batch.issued,
    forced: batch.forced,
    origin: batch.origin,
    error: batch.error,
    createdAt: batch.createdAt,
    startedAt: batch.startedAt,
    finishedAt: batch.finishedAt,
  };
}
