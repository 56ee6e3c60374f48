import { gradesOf, measure, ranksOf, schemeProblem, weightedTotal, type AssessmentScheme, type BranchFigures } from './assessment-scheme';

const BANDS: AssessmentScheme['bands'] = [
  { grade: 'excellent', min: 90 },
  { grade: 'good', min: 75 },
  { grade: 'fair', min: 60 },
  { grade: 'poor', min: 0 },
];

const figures = (overrides: Partial<BranchFigures> = {}): BranchFigures => ({
  secretaries: 1,
  enrolled: 0,
  completed: 0,
  hours: 0,
  accepted: new Map(),
  handedIn: 0,
  onTime: 0,
  planItems: 0,
  planDone: 0,
  excellentReflections: 0,
  suggestions: 0,
  ...overrides,
});

describe('assessment scheme rules', () => {
  it('grades by the bands and caps 优秀, dropping ties at the cut together', () => {
    expect(gradesOf([95, 80, 61, 10], { bands: BANDS, excellentCap: null })).toEqual(['excellent', 'good', 'fair', 'poor']);
    // Ten branches, a cap of 20%: two may be 优秀. Three reach it, two of them tied for second: both drop.
    const totals = [98, 93, 93, 80, 70, 70, 60, 50, 40, 30];
    expect(gradesOf(totals, { bands: BANDS, excellentCap: 0.2 }).slice(0, 3)).toEqual(['excellent', 'good', 'good']);
    expect(gradesOf([98, 97, 93], { bands: BANDS, excellentCap: 0.7 })).toEqual(['excellent', 'excellent', 'good']);
    expect(gradesOf([98, 97], { bands: BANDS, excellentCap: 1 })).toEqual(['excellent', 'excellent']);
  });

  it('ranks by total, ties sharing a place', () => {
    expect(ranksOf([70, 90, 90, 50])).toEqual([3, 1, 1, 4]);
  });

  it('weighs scores out of 100 and counts a missing score as 0', () => {
    const indicators = [
      { key: 'a', name: 'A', weight: 60, source: 'auto' as const, measure: 'plan.done' as const },
      { key: 'b', name: 'B', weight: 40, source: 'manual' as const },
    ];
    expect(weightedTotal(indicators, new Map([['a', 50], ['b', 80]]))).toBe(62);
    expect(weightedTotal(indicators, new Map([['a', 50]]))).toBe(30);
  });

  it('measures shares and targets, and nothing required is full marks for the norms', () => {
    const norms = [
      { kind: 'committee_meeting', name: '支委会', minCount: 1, required: 12, branchKinds: ['staff', 'student'] },
      { kind: 'student_only', name: '学生', minCount: 1, required: 4, branchKinds: ['student'] },
    ];
    const compliance = { key: 'c', name: 'C', weight: 100, source: 'auto' as const, measure: 'handbook.compliance' as const };
    // Extra records beyond what a norm asks do not make up for another norm.
    expect(measure(compliance, figures({ accepted: new Map([['committee_meeting', 15]]) }), norms, 'student')).toMatchObject({ score: 75, facts: { required: 16, met: 12 } });
    expect(measure(compliance, figures(), norms.map((n) => ({ ...n, required: 0 })), 'staff').score).toBe(100);
    const hours = { key: 'h', name: 'H', weight: 100, source: 'auto' as const, measure: 'training.hours' as const, target: 32 };
    expect(measure(hours, figures({ secretaries: 2, hours: 40 }), [], 'staff')).toMatchObject({ value: 20, score: 62.5 });
    expect(measure(hours, figures({ secretaries: 1, hours: 50 }), [], 'staff').score).toBe(100);
    expect(measure(hours, figures({ secretaries: 0 }), [], 'staff').score).toBe(0);
  });

  it('refuses schemes whose weights, bands or measures do not hold together', () => {
    const good: AssessmentScheme = { indicators: [{ key: 'a', name: 'A', weight: 100, source: 'manual' }], bands: BANDS, excellentCap: null };
    expect(schemeProblem(good)).toBeNull();
    expect(schemeProblem({ ...good, indicators: [{ ...good.indicators[0], weight: 99.5 }] })?.code).toBe('SCHEME_WEIGHTS_NOT_100');
    expect(schemeProblem({ ...good, bands: BANDS.slice(0, 3) })?.code).toBe('SCHEME_BANDS_INCOMPLETE');
    expect(schemeProblem({ ...good, bands: [...BANDS.slice(0, 3), { grade: 'poor', min: 5 }] })?.code).toBe('SCHEME_BANDS_INCOMPLETE');
    expect(schemeProblem({ ...good, indicators: [{ key: 'a', name: 'A', weight: 100, source: 'auto' }] })?.code).toBe('SCHEME_MEASURE_REQUIRED');
    expect(schemeProblem({ ...good, indicators: [good.indicators[0], good.indicators[0]].map((i) => ({ ...i, weight: 50 })) })?.code).toBe('SCHEME_DUPLICATE_INDICATOR');
  });
});
