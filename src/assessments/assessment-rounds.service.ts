import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Job } from 'bullmq';
import { assertDepartment, type AuthUser } from '../common/auth-user';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JOB_DEFINITIONS, type JobPayloads } from '../jobs/jobs';
import { JobsService } from '../jobs/jobs.service';
import { NormsService } from '../norms/norms.service';
import { OrgRepository } from '../org/org.repository';
import { periodsBegun } from '../reports/branch-work-periods';
import { AssessmentEvidence } from './assessment-evidence.service';
import type { AssessmentRound } from './assessment.entity';
import { measure, type IndicatorEvidence } from './assessment-scheme';
import { AssessmentSchemesService } from './assessment-schemes.service';
import { AssessmentsRepository } from './assessments.repository';

export interface RoundView {
  id: string;
  year: number;
  schemeYear: number;
  state: AssessmentRound['state'];
  done: number;
  total: number;
  jobId: string;
  error: string | null;
  asOf: Date;
  createdAt: Date;
  publishedAt: Date | null;
  scheme: AssessmentRound['scheme'];
}

/**
 * Assessment rounds: the department starts one for a year with a year's scheme; a job lists every branch and
 * fans out chunk jobs that any worker takes, each counting the evidence of its slice once (a retried or
 * duplicated chunk finds its branches counted and changes nothing; a failed round is retried as a new attempt
 * that counts only what is missing). The scheme and the norms' requirements are copied in at the start.
 */
@Injectable()
export class AssessmentRoundsService {
  private readonly logger = new Logger(AssessmentRoundsService.name);

  constructor(
    private readonly repository: AssessmentsRepository,
    private readonly schemes: AssessmentSchemesService,
    private readonly evidence: AssessmentEvidence,
    private readonly norms: NormsService,
    private readonly org: OrgRepository,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(year: number, schemeYear: number, actor: AuthUser): Promise<{ id: string; jobId: string }> {
    assertDepartment(actor, '开展考核评估');
    const scheme = await this.schemes.find(schemeYear);
    if (!scheme) throw new NotFoundException({ message: `${schemeYear} 年的考核评估办法尚未制定`, code: 'SCHEME_NOT_FOUND' });
    if (await this.repository.findPublishedRound(year)) {
      throw new ConflictException({ message: `${year} 年的考核结果已经发布，不能再开展`, code: 'ROUND_YEAR_PUBLISHED' });
    }
    const asOf = new Date();
    const norms = (await this.norms.forYear(year)).items.map((n) => ({
      kind: n.kind,
      name: n.name,
      minCount: n.minCount,
      required: n.minCount * periodsBegun(n.per, year, asOf),
      branchKinds: [...n.branchKinds],
    }));
    const round = await this.repository.insertRound({ year, schemeYear, scheme: scheme.scheme, norms, asOf, createdBy: actor.id });
    const job = await this.jobs.enqueue('assessments.round', { roundId: round.id, attempt: 0 });
    return { id: round.id, jobId: job.id! };
  }

  /** A failed (or stuck) round carries on: a new attempt's jobs count the branches still missing. */
  async retry(id: string, actor: AuthUser): Promise<RoundView> {
    assertDepartment(actor, '重新计算考核');
    const round = await this.find(id);
    if (round.state === 'published' || round.state === 'computed') {
      throw new ConflictException({ message: '这轮考核已经计算完成', code: 'ROUND_ALREADY_COMPUTED' });
    }
    const attempt = round.attempt + 1;
    await this.repository.updateRound(id, { attempt, state: 'computing', error: null });
    await this.jobs.enqueue('assessments.round', { roundId: id, attempt });
    return this.view({ ...round, attempt, state: 'computing', error: null });
  }

  async progress(id: string): Promise<RoundView> {
    return this.view(await this.find(id));
  }

  async list(year?: number): Promise<RoundView[]> {
    return (await this.repository.listRounds(year)).map((round) => this.view(round));
  }

  /** A round; the routes admit admins only, and what is inside a round is scoped per unit where it is read. */
  async find(id: string): Promise<AssessmentRound> {
    const round = await this.repository.findRound(id);
    if (!round) throw new NotFoundException({ message: '没有这轮考核', code: 'ROUND_NOT_FOUND' });
    return round;
  }

  /** The assessments.round job: lists the branches once, then queues a chunk job per slice. */
  async plan(payload: JobPayloads['assessments.round'], job?: Job): Promise<{ chunks: number } | 'skipped'> {
    const round = await this.repository.findRound(payload.roundId);
    if (!round || round.state === 'computed' || round.state === 'published' || payload.attempt !== round.attempt) return 'skipped';
    return this.failingRound(round, job, async () => {
      if (!round.listed) {
        const branches = await this.org.allBranches();
        await this.repository.insertBranches(
          round.id,
          branches.map((b, seq) => ({ branchId: b.id, seq, unitId: b.unitId, branchKind: b.kind })),
        );
        await this.repository.updateRound(round.id, { total: branches.length, listed: true });
      }
      const { total } = await this.repository.recordProgress(round.id);
      const size = this.config.assessments.chunkSize;
      const chunks = Math.ceil(total / size);
      await this.jobs.enqueueBulk(
        'assessments.chunk',
        Array.from({ length: chunks }, (_, chunk) => ({ roundId: round.id, attempt: round.attempt, chunk })),
      );
      return { chunks };
    });
  }

  /** The assessments.chunk job: counts the evidence of the slice's branches still without it. */
  async countChunk(payload: JobPayloads['assessments.chunk'], job?: Job): Promise<{ counted: number } | 'skipped'> {
    const round = await this.repository.findRound(payload.roundId);
    // Before the branches are listed there is nothing to count: the plan job queues the chunks after listing.
    if (!round || !round.listed || round.state === 'computed' || round.state === 'published') return 'skipped';
    return this.failingRound(round, job, async () => {
      const size = this.config.assessments.chunkSize;
      const pending = await this.repository.pendingBranches(round.id, payload.chunk * size, (payload.chunk + 1) * size);
      const auto = round.scheme.indicators.filter((i) => i.source === 'auto');
      const figures = await this.evidence.gather(round.year, pending.map((b) => b.branchId), auto);
      const rows = pending.map((branch) => {
        const evidence: Record<string, IndicatorEvidence> = {};
        for (const indicator of auto) evidence[indicator.key] = measure(indicator, figures.get(branch.branchId)!, round.norms, branch.branchKind);
        return { ...branch, evidence };
      });
      await this.repository.saveEvidence(round.id, rows, new Date());
      const progress = await this.repository.recordProgress(round.id);
      await job?.updateProgress({ done: progress.done, total: progress.total });
      if (progress.finished) this.logger.log(`assessment round ${round.id}: ${progress.total} branch(es) counted`);
      return { counted: rows.length };
    });
  }

  /** Runs a job's work; its last failed attempt marks the round failed (the department may retry it). */
  private async failingRound<T>(round: AssessmentRound, job: Job | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const last = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.repository.updateRound(round.id, { error: String((error as Error).message ?? error).slice(0, 500), ...(last ? { state: 'failed' as const } : {}) });
      throw error;
    }
  }

  view(round: AssessmentRound): RoundView {
    return {
      id: round.id,
      year: round.year,
      schemeYear: round.schemeYear,
      state: round.state,
      done: round.done,
      total: round.total,
      jobId: JOB_DEFINITIONS['assessments.round'].id({ roundId: round.id, attempt: round.attempt }),
      error: round.error,
      asOf: round.asOf,
      createdAt: round.createdAt,
      publishedAt: round.publishedAt,
      scheme: round.scheme,
    };
  }
}
