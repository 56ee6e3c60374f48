import { Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, isAdmin, type AuthUser } from '../common/auth-user';
import { BranchScope } from '../org/branch-scope';
import { OrgRepository } from '../org/org.repository';
import type { AssessmentAuditEntry, AssessmentRound } from './assessment.entity';
import { gradesOf, ranksOf, type Grade } from './assessment-scheme';
import { summaryOf, unitRanksOf, type IndicatorSpread, type RoundSummary, type UnitFigures } from './assessment-summary';
import { AssessmentBreakdown, linesOf, type IndicatorLine } from './assessment-breakdown.service';
import { AssessmentsRepository } from './assessments.repository';

export interface RankedBranch {
  branchId: string;
  branchName: string;
  unitId: string;
  unitName: string;
  score: number;
  grade: Grade;
  /** Place among all the round's branches, and within the unit (1 = highest; ties share a place). */
  rank: number;
  unitRank: number;
  indicators: IndicatorLine[];
}

export interface UnitSummary extends UnitFigures {
  name: string;
}

export interface RoundResults {
  round: { id: string; year: number; state: AssessmentRound['state']; publishedAt: Date | null };
  /** Before publishing, grades and ranks are provisional (as they would be if published now). */
  published: boolean;
  unitId: string | null;
  total: number;
  page: number;
  pageSize: number;
  items: RankedBranch[];
  distribution: { grade: Grade; count: number }[];
  indicators: IndicatorSpread[];
  byUnit: UnitSummary[];
}

export interface BranchAssessment {
  roundId: string;
  year: number;
  published: boolean;
  publishedAt: Date | null;
  branchId: string;
  branchName: string;
  unitName: string;
  score: number;
  grade: Grade;
  /** For the department and unit admins only: a secretary sees their own branch, never a ranking. */
  rank: number | null;
  unitRank: number | null;
  indicators: IndicatorLine[];
  audit: AssessmentAuditEntry[] | null;
}

/**
 * Reading a round: the department and unit admins see every branch in scope ranked, the grade distribution
 * and each indicator's spread; a branch's secretary sees only their own branch once the round is published.
 * Before publishing, grades and ranks are worked out for the whole round (the cap on 优秀 is round-wide).
 */
@Injectable()
export class AssessmentResultsService {
  constructor(
    private readonly repository: AssessmentsRepository,
    private readonly breakdown: AssessmentBreakdown,
    private readonly org: OrgRepository,
    private readonly branches: BranchScope,
  ) {}

  /**
   * The round's results in scope. A published round read by the department as a whole pages its stored ranks
   * and reads its stored summary (12,000 branches: one page of rows, not all of them); a unit's view, a round
   * not yet published and the workbook (`everything`) work the figures out from every branch in scope.
   */
  async results(
    roundId: string,
    actor: AuthUser,
    query: { unitId?: string; page?: number; pageSize?: number },
    everything = false,
  ): Promise<RoundResults & { all: RankedBranch[] }> {
    const round = await this.round(roundId);
    const own = adminUnitScope(actor);
    if (own !== null && query.unitId !== undefined && query.unitId !== own) throw new NotFoundException({ message: '二级党组织不存在', code: 'UNIT_NOT_FOUND' });
    const unitId = own ?? query.unitId ?? null;
    const pageSize = query.pageSize ?? 100;
    const page = query.page ?? 1;
    const heading = {
      round: { id: round.id, year: round.year, state: round.state, publishedAt: round.publishedAt },
      published: round.state === 'published',
      unitId,
      page,
      pageSize,
    };
    if (round.state === 'published' && round.summary && unitId === null && !everything) {
      const items = await this.storedPage(round, (page - 1) * pageSize, pageSize);
      return { ...heading, total: round.total, items, all: items, ...(await this.named(round.summary)) };
    }
    const ranked = await this.ranked(round, unitId);
    return {
      ...heading,
      total: ranked.length,
      items: ranked.slice((page - 1) * pageSize, page * pageSize),
      all: ranked,
      ...(await this.named(summaryOf(round.scheme.indicators, ranked))),
    };
  }

  /** One page of a published round by its stored ranks, with each branch's lines. */
  private async storedPage(round: AssessmentRound, offset: number, limit: number): Promise<RankedBranch[]> {
    const rows = await this.repository.resultsByRank(round.id, offset, limit);
    const ids = rows.map((r) => r.branchId);
    const [manual, accepted, names] = await Promise.all([
      this.repository.manualScores(round.id, ids),
      this.repository.adjustments(round.id, { branchIds: ids, state: 'accepted' }),
      this.org.namesByIds(
        rows.map((r) => r.unitId),
        ids,
      ),
    ]);
    return linesOf(round.scheme.indicators, rows, manual, accepted).map((b, i) => ({
      branchId: b.branchId,
      branchName: names.branches.get(b.branchId) ?? '',
      unitId: b.unitId,
      unitName: names.units.get(b.unitId) ?? '',
      score: b.score,
      grade: b.grade as Grade,
      rank: b.rank ?? 0,
      unitRank: rows[i].unitRank ?? 0,
      indicators: b.indicators,
    }));
  }

  /** The summary with the units' names, by name. */
  private async named(summary: RoundSummary): Promise<Pick<RoundResults, 'distribution' | 'indicators' | 'byUnit'>> {
    const names = await this.org.namesByIds(
      summary.byUnit.map((u) => u.unitId),
      [],
    );
    const byUnit = summary.byUnit.map((u) => ({ ...u, name: names.units.get(u.unitId) ?? '' })).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
    return { distribution: summary.distribution, indicators: summary.indicators, byUnit };
  }

  /**
   * A branch's result for a year: its secretary sees the published round only; admins (of its unit, or the
   * department) also the year's latest counted round before publishing, with the audit trail.
   */
  async branch(branchId: string, year: number, actor: AuthUser): Promise<BranchAssessment> {
    const branch = await this.branches.branch(branchId, actor, 'read');
    const admin = isAdmin(actor);
    const round = (await this.repository.findPublishedRound(year)) ?? (admin ? await this.repository.findLatestComputedRound(year) : null);
    if (!round) throw new NotFoundException({ message: `${year} 年的考核结果尚未发布`, code: 'ASSESSMENT_NOT_PUBLISHED' });
    const row = await this.rankedBranch(round, branch.id);
    if (!row) throw new NotFoundException({ message: '这轮考核没有这个党支部', code: 'BRANCH_NOT_FOUND' });
    return {
      roundId: round.id,
      year: round.year,
      published: round.state === 'published',
      publishedAt: round.publishedAt,
      branchId: row.branchId,
      branchName: row.branchName,
      unitName: row.unitName,
      score: row.score,
      grade: row.grade,
      rank: admin ? row.rank : null,
      unitRank: admin ? row.unitRank : null,
      indicators: row.indicators,
      audit: admin ? await this.repository.auditOf(round.id, row.branchId) : null,
    };
  }

  /** One branch of a round for its result sheet: admins of its unit and the department; its secretary once published. */
  async sheet(roundId: string, branchId: string, actor: AuthUser): Promise<{ round: AssessmentRound; row: RankedBranch }> {
    const round = await this.round(roundId);
    const branch = await this.branches.branch(branchId, actor, 'read');
    if (!isAdmin(actor) && round.state !== 'published') throw new NotFoundException({ message: `${round.year} 年的考核结果尚未发布`, code: 'ASSESSMENT_NOT_PUBLISHED' });
    const row = await this.rankedBranch(round, branch.id);
    if (!row) throw new NotFoundException({ message: '这轮考核没有这个党支部', code: 'BRANCH_NOT_FOUND' });
    return { round, row };
  }

  private async round(id: string): Promise<AssessmentRound> {
    const round = await this.repository.findRound(id);
    if (!round) throw new NotFoundException({ message: '没有这轮考核', code: 'ROUND_NOT_FOUND' });
    return round;
  }

  /** The branch within its unit as the round listed it (ranked among the unit's branches). */
  private async rankedBranch(round: AssessmentRound, branchId: string): Promise<RankedBranch | undefined> {
    const listed = await this.repository.findResult(round.id, branchId);
    if (!listed) return undefined;
    return (await this.ranked(round, listed.unitId)).find((r) => r.branchId === branchId);
  }

  /** The branches in scope ranked by total, with grades and both ranks. */
  private async ranked(round: AssessmentRound, unitId: string | null): Promise<RankedBranch[]> {
    const published = round.state === 'published';
    const whole = published ? await this.breakdown.of(round, { unitId }) : await this.breakdown.of(round);
    let grades: Grade[];
    let ranks: number[];
    if (published) {
      grades = whole.map((b) => (b.grade ?? 'poor') as Grade);
      ranks = whole.map((b) => b.rank ?? 0);
    } else {
      grades = gradesOf(whole.map((b) => b.score), round.scheme);
      ranks = ranksOf(whole.map((b) => b.score));
    }
    const inScope = whole.map((b, i) => ({ b, grade: grades[i], rank: ranks[i] })).filter(({ b }) => unitId === null || b.unitId === unitId);
    const names = await this.org.namesByIds(
      inScope.map(({ b }) => b.unitId),
      inScope.map(({ b }) => b.branchId),
    );
    const unitRanks = unitRanksOf(inScope.map(({ b }) => b));
    return inScope
      .map(({ b, grade, rank }) => ({
        branchId: b.branchId,
        branchName: names.branches.get(b.branchId) ?? '',
        unitId: b.unitId,
        unitName: names.units.get(b.unitId) ?? '',
        score: b.score,
        grade,
        rank,
        unitRank: unitRanks.get(b.branchId)!,
        indicators: b.indicators,
      }))
      .sort((a, b) => a.rank - b.rank || a.unitName.localeCompare(b.unitName, 'zh') || a.branchName.localeCompare(b.branchName, 'zh'));
  }
}
