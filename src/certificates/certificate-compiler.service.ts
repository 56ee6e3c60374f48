import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Job } from 'bullmq';
import { assertDepartment, AuthUser } from '../common/auth-user';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CourseAccessService } from '../access/course-access.service';
import type { Course } from '../courses/course.entity';
import { CoursesRepository } from '../courses/courses.repository';
import { Transactions } from '../database/transactions';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { JOB_DEFINITIONS, JobPayloads } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import { OrgRepository } from '../org/org.repository';
import { CourseProgressRepository } from '../progress/course-progress.repository';
import { SurveysRepository } from '../surveys/surveys.repository';
import { UsersRepository } from '../users/users.repository';
import { CertificateBatch } from './certificate-batch.entity';
import { chinaDate, formatSerial, hashVerificationCode, newVerificationCode } from './certificate-codes';
import { CertificateFiles } from './certificate-files.service';
import { CertificatesRepository, CompletedLearners, isDuplicateKey } from './certificates.repository';

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
  /**
   * Completed learners without a certificate who have not answered the course's questionnaire required before
   * it: they get one from the first compile after they answer. 0 when the course has none.
   */
  awaitingQuestionnaire: number;
}

/**
 * Compiles a course's certificates in two steps that any number of workers share. The certificates.compile job
 * issues them: chunk after chunk, one transaction each, it locks the per-course counter, allocates the next
 * serials in learner order and inserts the rows (a rolled-back chunk leaves no gap; the chunks end on multiples
 * of the chunk size). Then it fans out one certificates.render job per serial range still lacking PDFs, which
 * any worker takes: each renders and stores the PDFs of its range still without one, adds them to the batch's
 * progress, and the one that finds nothing left up to the batch's last serial marks the batch done. Learners
 * who already hold a certificate of the course — live or revoked — are never chosen again, and a range job
 * renders only what lacks a PDF, so a rerun, a retried or duplicated job, or a worker killed at any point
 * issues nothing twice and leaves work that the job's retry (or the next compile) completes.
 */
@Injectable()
export class CertificateCompiler {
  private readonly logger = new Logger(CertificateCompiler.name);

  constructor(
    private readonly certificates: CertificatesRepository,
    private readonly courses: CoursesRepository,
    private readonly progressResults: CourseProgressRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly questionnaires: SurveysRepository,
    private readonly people: UsersRepository,
    private readonly org: OrgRepository,
    private readonly transactions: Transactions,
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
    const payload = await this.transactions.run(async (manager) => {
      const batch = await this.certificates.createBatch({ courseId, origin: 'admin', forced: course.status !== 'closed', requestedBy: actor.id }, manager);
      const batchPayload = { courseId, batchId: batch.id };
      await this.certificates.updateBatch(batch.id, { jobId: JOB_DEFINITIONS['certificates.compile'].id(batchPayload) }, manager);
      return batchPayload;
    });
    const job = await this.jobs.enqueue('certificates.compile', payload);
    return { jobId: job.id! };
  }

  async progress(courseId: string, jobId: string, actor: AuthUser): Promise<CompileProgressView> {
    const { course } = await this.access.view(courseId, actor);
    const batch = await this.certificates.findBatch({ courseId, jobId });
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
   * and of those, who already hold a certificate (never issued twice), who would get one now, and who waits
   * for having answered the course's required questionnaire.
   */
  async closePreview(courseId: string, actor: AuthUser): Promise<ClosePreviewView> {
    const { course } = await this.access.view(courseId, actor);
    assertDepartment(actor, '结业培训班');
    const learners = await this.enrollments.countActive(courseId);
    const source = course.status === 'closed' ? 'snapshot' : 'live';
    const { completed, certified } = await this.certificates.countCompleted(courseId, this.completed(source, courseId));
    const eligible = await this.certificates.countCompleted(courseId, this.eligible(source, courseId));
    const willBeCertified = eligible.completed - eligible.certified;
    return { status: course.status, learners, completed, alreadyCertified: certified, willBeCertified, awaitingQuestionnaire: completed - certified - willBeCertified };
  }

  /** The certificates.compile job. */
  async run(payload: JobPayloads['certificates.compile'], job?: Job): Promise<{ issued: number; total: number } | 'skipped'> {
    const batch = await this.batchFor(payload);
    if (!batch || batch.state === 'done') return 'skipped';
    try {
      return await this.compile(batch, job);
    } catch (error) {
      const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.certificates.updateBatch(batch.id, { error: String((error as Error).message ?? error).slice(0, 500), ...(last ? { state: 'failed' as const } : {}) });
      throw error;
    }
  }

  /** The admin's batch, or the one closing starts (created here, once: its job id is unique). */
  private async batchFor(payload: JobPayloads['certificates.compile']): Promise<CertificateBatch | null> {
    if (payload.batchId) return this.certificates.findBatch({ id: payload.batchId, courseId: payload.courseId });
    return this.certificates.ensureCloseBatch(payload.courseId, JOB_DEFINITIONS['certificates.compile'].id(payload));
  }

  private async compile(batch: CertificateBatch, job?: Job): Promise<{ issued: number; total: number }> {
    const course = await this.courses.findById(batch.courseId);
    if (!course || course.status === 'draft' || (course.status !== 'closed' && !batch.forced)) {
      await this.certificates.updateBatch(batch.id, { state: 'failed', error: '培训班尚未结业', finishedAt: new Date() });
      return { issued: 0, total: 0 };
    }
    // Once closed, the frozen snapshot decides, even for a run that was forced while the course was open.
    const completed = this.completedFor(course);
    const total = (await this.certificates.countCompleted(course.id, completed)).completed;
    const done = await this.countHolders(course.id, completed);
    await this.certificates.updateBatch(batch.id, { state: 'running', total, done, issuedUpTo: null, startedAt: batch.startedAt ?? new Date(), error: null });
    await this.certificates.ensureSequence(course.id);

    // Issuing is cheap (inserts): done here, in order, so serials follow the learners without a gap. Rendering
    // is the costly part: each range is queued for every worker to take as soon as it is issued, so rendering
    // runs while issuing goes on. Render job ids name the batch and the range: a retry queues nothing twice.
    const chunk = this.config.certificates.chunkSize;
    let issued = batch.issued;
    // Learners are issued in id order; the cursor is the last id this run issued to.
    let after = '0';
    for (;;) {
      const { added, asked, last, range } = await this.issueChunk(course, completed, batch.id, chunk, after);
      issued += added;
      after = last ?? after;
      if (range) await this.jobs.enqueue('certificates.render', { courseId: course.id, batchId: batch.id, ...range });
      await job?.updateProgress({ done, total, issued });
      // Fewer than asked: nobody was left (a learner who becomes eligible later is the next compile's).
      if (added < asked) break;
    }

    // Issuing has ended: from now on the render job that finds nothing left marks the batch done. Set before
    // the ranges are read, so either a render job sees it, or this read sees that job's PDFs. Ranges still
    // lacking PDFs that no job of this run covers (a killed run's) are queued now.
    const upTo = await this.certificates.readSequence(course.id);
    await this.certificates.updateBatch(batch.id, { issuedUpTo: upTo });
    const ranges = await this.certificates.unrenderedRanges(course.id, chunk, upTo);
    if (!ranges.length) {
      await this.finish(batch.id, course, completed);
    } else {
      await this.jobs.enqueueBulk('certificates.render', ranges.map((range) => ({ courseId: course.id, batchId: batch.id, ...range })));
    }
    this.logger.log(`course ${course.id}: ${issued} certificate(s) issued by batch ${batch.id}, ${ranges.length} range(s) to render`);
    return { issued, total };
  }

  /**
   * The certificates.render job: renders and stores the PDFs of its range still without one (a retried or
   * duplicated job finds them stored and renders nothing), then finishes the batch if nothing up to its last
   * serial lacks a PDF any more.
   */
  async render(payload: JobPayloads['certificates.render'], job?: Job): Promise<{ rendered: number } | 'skipped'> {
    const batch = await this.certificates.findBatch({ id: payload.batchId, courseId: payload.courseId });
    const course = batch && (await this.courses.findById(payload.courseId));
    if (!batch || !course) return 'skipped';
    try {
      const pending = await this.certificates.findUnrenderedInRange(course.id, payload.from, payload.to);
      await this.files.store(pending, course);
      if (pending.length) await this.certificates.addDone(batch.id, pending.length);
      // Read after this job's PDFs are recorded (see compile): null while the batch is still issuing.
      const upTo = await this.certificates.issuedUpTo(batch.id);
      if (upTo !== null && !(await this.certificates.hasUnrendered(course.id, upTo))) await this.finish(batch.id, course, this.completedFor(course));
      return { rendered: pending.length };
    } catch (error) {
      const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.certificates.updateBatch(batch.id, { error: String((error as Error).message ?? error).slice(0, 500), ...(last ? { state: 'failed' as const } : {}) });
      throw error;
    }
  }

  /** Every certificate of the batch holds its PDF: the exact count of holders, and the batch is done. */
  private async finish(batchId: string, course: Course, completed: CompletedLearners): Promise<void> {
    const done = await this.countHolders(course.id, completed);
    await this.certificates.updateBatch(batchId, { state: 'done', done, error: null, finishedAt: new Date() });
    this.logger.log(`course ${course.id}: batch ${batchId} done, ${done} learner(s) hold a certificate`);
  }

  /** Who completed the course, as the compile counts them: the frozen snapshot once closed, else live progress. */
  private completedFor(course: Course): CompletedLearners {
    return this.eligible(course.status === 'closed' ? 'snapshot' : 'live', course.id);
  }

  /**
   * Issues the next certificates in one transaction: as many as reach the next multiple of `size` in the
   * serial sequence (so each chunk fills one render range), fewer when fewer learners are left.
   */
  private async issueChunk(
    course: Course,
    completed: CompletedLearners,
    batchId: string,
    size: number,
    after: string,
  ): Promise<{ added: number; asked: number; last?: string; range?: { from: number; to: number } }> {
    try {
      return await this.transactions.run(async (manager) => {
        // Lock the counter first: the read below then sees every chunk committed before ours.
        const lastSeq = await this.certificates.lockSequence(course.id, manager);
        const asked = size - (lastSeq % size);
        const learners = await this.certificates.findUncertified(course.id, completed, asked, after, manager);
        if (!learners.length) return { added: 0, asked };
        // Name, unit and branch as they are now, copied onto the certificate (one query per owner for the chunk).
        const places = await this.people.labelsByIds(learners.map((l) => l.userId), manager);
        const names = await this.org.namesByIds(
          [...places.values()].flatMap((p) => (p.unitId ? [p.unitId] : [])),
          [...places.values()].flatMap((p) => (p.branchId ? [p.branchId] : [])),
          manager,
        );
        const year = chinaDate(course.startsAt).year;
        const issuedAt = new Date();
        const rows = learners.map((learner, i) => {
          const seq = lastSeq + i + 1;
          const code = newVerificationCode();
          const place = places.get(learner.userId)!;
          return {
            courseId: course.id,
            userId: learner.userId,
            batchId,
            seq,
            serial: formatSerial(year, seq),
            verificationCode: code,
            codeHash: hashVerificationCode(code),
            live: true as const,
            name: place.name,
            unitId: place.unitId,
            unitName: place.unitId ? (names.units.get(place.unitId) ?? null) : null,
            branchId: place.branchId,
            branchName: place.branchId ? (names.branches.get(place.branchId) ?? null) : null,
            courseTitle: course.title,
            creditHours: learner.creditHours,
            completedAt: learner.completedAt,
            issuedAt,
          };
        });
        await this.certificates.insertMany(rows, manager);
        await this.certificates.setSequence(course.id, lastSeq + rows.length, manager);
        await this.certificates.addIssued(batchId, rows.length, manager);
        // The serial range these fill (aligned on multiples of `size`, as unrenderedRanges gives it).
        const range = { from: Math.floor(lastSeq / size) * size + 1, to: lastSeq + rows.length };
        return { added: rows.length, asked, last: learners.at(-1)!.userId, range };
      });
    } catch (error) {
      // Another run issued to one of these learners first (a reissue, or a second worker): the whole chunk
      // rolled back, serials included; the next pass chooses again without them.
      if (isDuplicateKey(error)) return this.issueChunk(course, completed, batchId, size, after);
      throw error;
    }
  }

  /** Who completed: per the frozen snapshot, or per live progress (active learners) when forced early. */
  private completed(source: 'snapshot' | 'live', courseId: string): CompletedLearners {
    return source === 'snapshot' ? this.progressResults.completedResults(courseId) : this.progressResults.completedLive(courseId, this.enrollments.userIdsOf(courseId, 'active'));
  }

  /**
   * Who gets a certificate: those who completed and, when the course has a questionnaire required before its
   * certificate, answered it (known from its respondents, so an anonymous one stays anonymous). A learner who
   * answers later is taken by the next compile.
   */
  private eligible(source: 'snapshot' | 'live', courseId: string): CompletedLearners {
    return this.questionnaires.answeredRequired(courseId, this.completed(source, courseId));
  }

  /** Learners who completed and hold a certificate whose PDF is stored. */
  private async countHolders(courseId: string, completed: CompletedLearners): Promise<number> {
    return (await this.certificates.countCompleted(courseId, completed, { withPdf: true })).certified;
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
