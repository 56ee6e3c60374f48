/**
 * The rules of an assessment, as data and pure functions: the measures the platform can take, how a figure
 * becomes a score out of 100, the weighted total and the grade bands with the optional cap on 优秀.
 */

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_NAMES: Record<Grade, string> = { excellent: '优秀', good: '良好', fair: '一般', poor: '较差' };

/**
 * What the platform can measure for a branch, each scored 0–100. `target` means, per measure: 学时 or a count
 * that earns the full score, or the days within which a record counts as kept on time.
 */
export const MEASURES = {
  'training.completion': { name: '书记培训完成率', target: null },
  'training.hours': { name: '书记学时', target: 32 },
  'handbook.compliance': { name: '组织生活达标率', target: null },
  'handbook.onTime': { name: '记录及时率', target: 7 },
  'plan.done': { name: '年度计划完成率', target: null },
  'reflections.excellent': { name: '优秀心得', target: 1 },
  'suggestions.made': { name: '意见建议', target: 1 },
} as const satisfies Record<string, { name: string; target: number | null }>;
export type MeasureKey = keyof typeof MEASURES;
export const MEASURE_KEYS = Object.keys(MEASURES) as MeasureKey[];

export interface Indicator {
  key: string;
  name: string;
  weight: number;
  source: 'auto' | 'manual';
  measure?: MeasureKey;
  target?: number;
}

export interface GradeBand {
  grade: Grade;
  /** The lowest total (0–100) that earns the grade. */
  min: number;
}

export interface AssessmentScheme {
  indicators: Indicator[];
  bands: GradeBand[];
  /** At most this share (0–1) of the round's branches may be graded 优秀. */
  excellentCap: number | null;
}

/** A norm as the round counts against it (copied when the round starts). */
export interface FrozenNorm {
  kind: string;
  name: string;
  minCount: number;
  /** Records required by the round's moment: minCount × the periods begun. */
  required: number;
  branchKinds: string[];
}

/** One automatic indicator of one branch: the figure, its score and what it was counted from. */
export interface IndicatorEvidence {
  value: number;
  score: number;
  facts: Record<string, number>;
}

/** What a scheme breaks, as the Chinese sentence and code the API answers; null when it is sound. */
export function schemeProblem(scheme: AssessmentScheme): { message: string; code: string } | null {
  const keys = new Set<string>();
  for (const indicator of scheme.indicators) {
    if (keys.has(indicator.key)) return { message: `指标代码“${indicator.key}”重复`, code: 'SCHEME_DUPLICATE_INDICATOR' };
    keys.add(indicator.key);
    if (indicator.source === 'auto' && !indicator.measure) {
      return { message: `自动指标“${indicator.name}”须选择数据来源`, code: 'SCHEME_MEASURE_REQUIRED' };
    }
    if (indicator.source === 'manual' && indicator.measure) {
      return { message: `人工评分指标“${indicator.name}”不取平台数据`, code: 'SCHEME_MANUAL_WITH_MEASURE' };
    }
  }
  const weights = scheme.indicators.reduce((sum, i) => sum + i.weight, 0);
  if (Math.abs(weights - 100) > 1e-9) return { message: `各指标权重之和须为 100，现为 ${round2(weights)}`, code: 'SCHEME_WEIGHTS_NOT_100' };
  const grades = new Set(scheme.bands.map((b) => b.grade));
  if (grades.size !== scheme.bands.length) return { message: '每个等次只能设一条分数线', code: 'SCHEME_DUPLICATE_BAND' };
  if (!grades.has('excellent') || !grades.has('poor')) return { message: '等次须包括优秀和较差', code: 'SCHEME_BANDS_INCOMPLETE' };
  const ordered = orderedBands(scheme.bands);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].min >= ordered[i - 1].min) return { message: '等次分数线须从优秀到较差依次降低', code: 'SCHEME_BANDS_ORDER' };
  }
  if (ordered[ordered.length - 1].min !== 0) return { message: '较差的分数线须为 0', code: 'SCHEME_BANDS_INCOMPLETE' };
  return null;
}

/** The bands from 优秀 down, in the order of GRADES. */
export function orderedBands(bands: GradeBand[]): GradeBand[] {
  return [...bands].sort((a, b) => GRADES.indexOf(a.grade) - GRADES.indexOf(b.grade));
}

export const round2 = (value: number) => Math.round(value * 100) / 100;

/** A share as a score out of 100; nothing to count scores 0. */
const share = (part: number, whole: number) => (whole > 0 ? round2(Math.min(1, part / whole) * 100) : 0);

/** The figures the evidence gatherer collects for one branch (its secretaries' summed where per person). */
export interface BranchFigures {
  secretaries: number;
  enrolled: number;
  completed: number;
  hours: number;
  /** Accepted records by norm kind. */
  accepted: Map<string, number>;
  handedIn: number;
  onTime: number;
  planItems: number;
  planDone: number;
  excellentReflections: number;
  suggestions: number;
}

/** An automatic indicator's evidence for a branch of `branchKind`, from its figures and the round's norms. */
export function measure(indicator: Indicator, figures: BranchFigures, norms: FrozenNorm[], branchKind: string): IndicatorEvidence {
  const target = indicator.target ?? MEASURES[indicator.measure!].target ?? 0;
  switch (indicator.measure!) {
    case 'training.completion':
      return { value: share(figures.completed, figures.enrolled), score: share(figures.completed, figures.enrolled), facts: pick(figures, 'secretaries', 'enrolled', 'completed') };
    case 'training.hours': {
      const perSecretary = figures.secretaries ? round2(figures.hours / figures.secretaries) : 0;
      return { value: perSecretary, score: share(perSecretary, target), facts: { secretaries: figures.secretaries, hours: round2(figures.hours), target } };
    }
    case 'handbook.compliance': {
      let required = 0;
      let met = 0;
      for (const norm of norms) {
        if (!norm.branchKinds.includes(branchKind)) continue;
        required += norm.required;
        met += Math.min(norm.required, figures.accepted.get(norm.kind) ?? 0);
      }
      // Nothing required yet (a year just begun) is full marks: no norm is missed.
      const score = required > 0 ? share(met, required) : 100;
      return { value: score, score, facts: { required, met } };
    }
    case 'handbook.onTime':
      return { value: share(figures.onTime, figures.handedIn), score: share(figures.onTime, figures.handedIn), facts: { handedIn: figures.handedIn, onTime: figures.onTime, withinDays: target } };
    case 'plan.done':
      return { value: share(figures.planDone, figures.planItems), score: share(figures.planDone, figures.planItems), facts: { items: figures.planItems, done: figures.planDone } };
    case 'reflections.excellent':
      return { value: figures.excellentReflections, score: share(figures.excellentReflections, target), facts: { count: figures.excellentReflections, target } };
    case 'suggestions.made':
      return { value: figures.suggestions, score: share(figures.suggestions, target), facts: { count: figures.suggestions, target } };
  }
}

function pick<K extends keyof BranchFigures>(figures: BranchFigures, ...keys: K[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, figures[k] as number]));
}

/** The weighted total out of 100 (weights sum to 100), from each indicator's score; a missing score counts 0. */
export function weightedTotal(indicators: Indicator[], scores: Map<string, number>): number {
  return round2(indicators.reduce((sum, i) => sum + (i.weight * (scores.get(i.key) ?? 0)) / 100, 0));
}

/**
 * Grades for totals by the bands, then the cap: when more branches reach 优秀 than `cap` × their number, those
 * tied at the cut and below it drop to the next grade — ties are treated alike, so the count never exceeds the cap.
 */
export function gradesOf(totals: number[], scheme: Pick<AssessmentScheme, 'bands' | 'excellentCap'>): Grade[] {
  const bands = orderedBands(scheme.bands);
  const grades = totals.map((total) => (bands.find((b) => total >= b.min) ?? bands[bands.length - 1]).grade);
  if (scheme.excellentCap === null || scheme.excellentCap === undefined) return grades;
  const allowed = Math.floor(scheme.excellentCap * totals.length + 1e-9);
  const excellent = totals.filter((_, i) => grades[i] === 'excellent').sort((a, b) => b - a);
  if (excellent.length <= allowed) return grades;
  // The highest total that must drop: the first beyond the allowed count; it and every total equal or below drop.
  const cut = excellent[allowed];
  const next = bands[1]?.grade ?? 'good';
  return grades.map((grade, i) => (grade === 'excellent' && totals[i] <= cut ? next : grade));
}

/** Competition ranks by total, highest first (1, 2, 2, 4). */
export function ranksOf(totals: number[]): number[] {
  const sorted = [...totals].sort((a, b) => b - a);
  const first = new Map<number, number>();
  sorted.forEach((total, i) => {
    if (!first.has(total)) first.set(total, i + 1);
  });
  return totals.map((total) => first.get(total)!);
}
