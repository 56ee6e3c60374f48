import { Injectable } from '@nestjs/common';
import type { AssessmentAdjustment, AssessmentManualScore, AssessmentResult, AssessmentRound } from './assessment.entity';
import { type Indicator, type MeasureKey, weightedTotal } from './assessment-scheme';
import { AssessmentsRepository } from './assessments.repository';

/** One indicator of one branch as people read it: the score that counts and where it comes from. */
export interface IndicatorLine {
  key: string;
  name: string;
  weight: number;
  source: 'auto' | 'manual';
  measure: MeasureKey | null;
  /** The score that counts (0–100); null for a manual score not yet entered. */
  score: number | null;
  /** Automatic: the figure measured and the facts it was counted from. */
  value: number | null;
  facts: Record<string, number> | null;
  /** Automatic and adjusted: the score as counted, before the accepted adjustment. */
  countedScore: number | null;
  /** Why the score is what it is: the manual score's reason, or the accepted adjustment's. */
  reason: string | null;
}

export interface BranchBreakdown {
  branchId: string;
  unitId: string;
  /** The weighted total (missing manual scores count 0 until entered). */
  score: number;
  indicators: IndicatorLine[];
  /** Written when the round was published. */
  grade: string | null;
  rank: number | null;
}

/** Joins a round's frozen evidence, the manual scores and the accepted adjustments into each branch's lines and total. */
@Injectable()
export class AssessmentBreakdown {
  constructor(private readonly repository: AssessmentsRepository) {}

  /** Every branch of the round (or of one unit or branch), in round order. */
  async of(round: AssessmentRound, filter: { unitId?: string | null; branchId?: string } = {}): Promise<BranchBreakdown[]> {
    const results = await this.repository.results(round.id, filter);
    const ids = filter.unitId || filter.branchId ? results.map((r) => r.branchId) : undefined;
    const [manual, accepted] = await Promise.all([
      this.repository.manualScores(round.id, ids),
      this.repository.adjustments(round.id, { branchIds: ids, state: 'accepted' }),
    ]);
    return linesOf(round.scheme.indicators, results, manual, accepted);
  }

  async totals(round: AssessmentRound): Promise<BranchBreakdown[]> {
    return this.of(round);
  }
}

export function linesOf(indicators: Indicator[], results: AssessmentResult[], manual: AssessmentManualScore[], accepted: AssessmentAdjustment[]): BranchBreakdown[] {
  const manualOf = new Map(manual.map((m) => [`${m.branchId}:${m.key}`, m]));
  // Accepted adjustments in id order: the latest accepted one for an indicator counts.
  const adjustedOf = new Map(accepted.map((a) => [`${a.branchId}:${a.key}`, a]));
  return results.map((result) => {
    const lines = indicators.map((indicator): IndicatorLine => {
      const key = `${result.branchId}:${indicator.key}`;
      if (indicator.source === 'manual') {
        const entered = manualOf.get(key);
        return { ...heading(indicator), score: entered?.score ?? null, value: null, facts: null, countedScore: null, reason: entered?.reason ?? null };
      }
      const evidence = result.evidence?.[indicator.key];
      const adjusted = adjustedOf.get(key);
      return {
        ...heading(indicator),
        score: adjusted ? adjusted.score : (evidence?.score ?? null),
        value: evidence?.value ?? null,
        facts: evidence?.facts ?? null,
        countedScore: adjusted ? (evidence?.score ?? null) : null,
        reason: adjusted?.reason ?? null,
      };
    });
    const scores = new Map(lines.flatMap((l) => (l.score === null ? [] : [[l.key, l.score] as const])));
    return { branchId: result.branchId, unitId: result.unitId, score: result.score ?? weightedTotal(indicators, scores), indicators: lines, grade: result.grade, rank: result.rank };
  });
}

function heading(indicator: Indicator) {
  return { key: indicator.key, name: indicator.name, weight: indicator.weight, source: indicator.source, measure: indicator.measure ?? null };
}
