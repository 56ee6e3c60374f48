import type { Indicator } from './assessment-scheme';
import { GRADES, ranksOf, round2, type Grade } from './assessment-scheme';
import type { IndicatorLine } from './assessment-breakdown.service';

/** A branch as the summaries need it: its unit, total, grade and lines. */
export interface ScoredBranch {
  branchId: string;
  unitId: string;
  score: number;
  grade: Grade;
  indicators: IndicatorLine[];
}

export interface IndicatorSpread {
  key: string;
  name: string;
  weight: number;
  source: 'auto' | 'manual';
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  /** Branches without a score for it (manual scores not yet entered). */
  missing: number;
}

export interface UnitFigures {
  unitId: string;
  branches: number;
  mean: number;
  grades: Record<Grade, number>;
}

/** The round-wide figures: stored when a round is published, worked out on each read before. */
export interface RoundSummary {
  distribution: { grade: Grade; count: number }[];
  indicators: IndicatorSpread[];
  byUnit: UnitFigures[];
}

export function summaryOf(indicators: Indicator[], rows: ScoredBranch[]): RoundSummary {
  return {
    distribution: GRADES.map((grade) => ({ grade, count: rows.filter((r) => r.grade === grade).length })),
    indicators: spreadOf(indicators, rows),
    byUnit: unitsOf(rows),
  };
}

/** Each branch's place within its unit (1 = highest; ties share a place). */
export function unitRanksOf(rows: Pick<ScoredBranch, 'branchId' | 'unitId' | 'score'>[]): Map<string, number> {
  const byUnit = new Map<string, Pick<ScoredBranch, 'branchId' | 'unitId' | 'score'>[]>();
  for (const row of rows) {
    const list = byUnit.get(row.unitId) ?? [];
    list.push(row);
    byUnit.set(row.unitId, list);
  }
  const ranks = new Map<string, number>();
  for (const unitRows of byUnit.values()) {
    const unitRanks = ranksOf(unitRows.map((r) => r.score));
    unitRows.forEach((r, i) => ranks.set(r.branchId, unitRanks[i]));
  }
  return ranks;
}

function spreadOf(indicators: Indicator[], rows: ScoredBranch[]): IndicatorSpread[] {
  return indicators.map((indicator, i) => {
    const scores = rows.flatMap((r) => (r.indicators[i].score === null ? [] : [r.indicators[i].score!])).sort((a, b) => a - b);
    const middle = Math.floor(scores.length / 2);
    return {
      key: indicator.key,
      name: indicator.name,
      weight: indicator.weight,
      source: indicator.source,
      min: scores.length ? scores[0] : null,
      max: scores.length ? scores[scores.length - 1] : null,
      mean: scores.length ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
      median: scores.length ? (scores.length % 2 ? scores[middle] : round2((scores[middle - 1] + scores[middle]) / 2)) : null,
      missing: rows.length - scores.length,
    };
  });
}

function unitsOf(rows: ScoredBranch[]): UnitFigures[] {
  const units = new Map<string, UnitFigures & { sum: number }>();
  for (const row of rows) {
    let unit = units.get(row.unitId);
    if (!unit) units.set(row.unitId, (unit = { unitId: row.unitId, branches: 0, mean: 0, sum: 0, grades: { excellent: 0, good: 0, fair: 0, poor: 0 } }));
    unit.branches++;
    unit.sum += row.score;
    unit.grades[row.grade]++;
  }
  return [...units.values()].map(({ sum, ...unit }) => ({ ...unit, mean: round2(sum / unit.branches) }));
}
