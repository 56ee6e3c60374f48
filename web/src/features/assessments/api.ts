import type { Schema } from '../../api/types';
import type { MessageKey, Translate } from '../../i18n';

export type Scheme = Schema<'SchemeResponse'>;
export type SchemeBody = Schema<'SchemeBodyResponse'>;
export type Indicator = Schema<'IndicatorResponse'>;
export type Measure = Schema<'MeasureResponse'>;
export type MeasureKey = Measure['key'];
export type Grade = Schema<'GradeBandResponse'>['grade'];
export type Round = Schema<'RoundResponse'>;
export type RoundState = Round['state'];
export type RoundResults = Schema<'RoundResultsResponse'>;
export type RankedBranch = Schema<'AssessedBranchResponse'>;
export type IndicatorLine = Schema<'IndicatorLineResponse'>;
export type IndicatorSpread = Schema<'IndicatorSpreadResponse'>;
export type UnitSummary = Schema<'UnitSummaryResponse'>;
export type BranchAssessment = Schema<'BranchAssessmentResponse'>;
export type AuditEntry = Schema<'AuditEntryResponse'>;
export type Adjustment = Schema<'AdjustmentResponse'>;

export const GRADES: Grade[] = ['excellent', 'good', 'fair', 'poor'];
export const GRADE_KEYS: Record<Grade, MessageKey> = { excellent: 'asGradeExcellent', good: 'asGradeGood', fair: 'asGradeFair', poor: 'asGradePoor' };
export const ROUND_STATE_KEYS: Record<RoundState, MessageKey> = {
  computing: 'asStateComputing',
  computed: 'asStateComputed',
  published: 'asStatePublished',
  failed: 'asStateFailed',
};
export const AUDIT_KEYS: Record<AuditEntry['action'], MessageKey> = {
  manual: 'asAuditManual',
  proposed: 'asAuditProposed',
  accepted: 'asAuditAccepted',
  rejected: 'asAuditRejected',
  published: 'asAuditPublished',
};
export const ADJUSTMENT_STATE_KEYS: Record<Adjustment['state'], MessageKey> = { proposed: 'asAdjProposed', accepted: 'asAdjAccepted', rejected: 'asAdjRejected' };
/** The web's own names of the platform's measures (the server's are Chinese only). */
export const MEASURE_KEYS: Record<MeasureKey, MessageKey> = {
  'training.completion': 'asMeasureTrainingCompletion',
  'training.hours': 'asMeasureTrainingHours',
  'handbook.compliance': 'asMeasureHandbookCompliance',
  'handbook.onTime': 'asMeasureHandbookOnTime',
  'plan.done': 'asMeasurePlanDone',
  'reflections.excellent': 'asMeasureReflections',
  'suggestions.made': 'asMeasureSuggestions',
};

/** The Beijing year of now. */
export function beijingYear(now = Date.now()): number {
  return new Date(now + 8 * 3_600_000).getUTCFullYear();
}

/**
 * What an automatic indicator's score was counted from, in words (the server's result sheet says the same:
 * evidenceSentence in src/assessments/assessment-export.ts). Manual scores: their reason is said apart.
 */
export function evidenceText(line: IndicatorLine, t: Translate): string {
  if (line.source === 'manual') return line.score === null ? t('asNotScored') : t('asManualEvidence');
  const f = (line.facts ?? {}) as Record<string, number>;
  switch (line.measure) {
    case 'training.completion':
      return f.secretaries ? t('asEvTrainingCompletion', { secretaries: f.secretaries, enrolled: f.enrolled ?? 0, completed: f.completed ?? 0 }) : t('asEvNoSecretary');
    case 'training.hours':
      return f.secretaries ? t('asEvTrainingHours', { value: line.value ?? 0, target: f.target ?? 0 }) : t('asEvNoSecretary');
    case 'handbook.compliance':
      return f.required ? t('asEvCompliance', { required: f.required, met: f.met ?? 0 }) : t('asEvComplianceNone');
    case 'handbook.onTime':
      return t('asEvOnTime', { handedIn: f.handedIn ?? 0, onTime: f.onTime ?? 0, withinDays: f.withinDays ?? 0 });
    case 'plan.done':
      return f.items ? t('asEvPlan', { items: f.items, done: f.done ?? 0 }) : t('asEvPlanNone');
    case 'reflections.excellent':
      return t('asEvReflections', { count: f.count ?? 0, target: f.target ?? 0 });
    case 'suggestions.made':
      return t('asEvSuggestions', { count: f.count ?? 0, target: f.target ?? 0 });
    default:
      return '';
  }
}

/** A score as shown: two decimals at most, or a dash when there is none yet. */
export function scoreText(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : String(Math.round(score * 100) / 100);
}
