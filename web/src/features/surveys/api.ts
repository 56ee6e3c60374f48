import type { Schema } from '../../api/types';
import type { MessageKey } from '../../i18n';

export type Survey = Schema<'SurveyResponse'>;
export type SurveyDetail = Schema<'SurveyDetailResponse'>;
export type SurveyResults = Schema<'SurveyResultsResponse'>;
export type QuestionResult = Schema<'QuestionResultResponse'>;
export type QuestionKind = Survey['questions'][number]['kind'];
export type AnswerValue = number | number[] | string | null;

/**
 * The survey body the web sends. `requiredForCertificate` (a course survey to be answered before the
 * certificate) is in the contract (shared API.md); it is sent only when ticked, so a server that does not know
 * the field yet is not sent it unasked.
 */
export type NewSurvey = Schema<'CreateSurveyDto'> & { requiredForCertificate?: boolean };

/** A course survey to be answered before the certificate (the field comes with the certificate rule on the server). */
export function beforeCertificate(s: Survey): boolean {
  return (s as Survey & { requiredForCertificate?: boolean }).requiredForCertificate === true;
}

/** Scale questions are rated 1 to SCALE_MAX (the server's rule: src/surveys/survey.entity.ts). */
export const SCALE_MAX = 5;

/** Groups with fewer answers than this are not broken down by unit (the server's MIN_GROUP). */
export const MIN_GROUP = 5;

export const KIND_KEYS: Record<QuestionKind, MessageKey> = { single: 'svKindSingle', multiple: 'svKindMultiple', scale: 'svKindScale', text: 'svKindText' };

/** Where a survey stands for the reader: not yet open, open to answer, answered (and open), or closed. */
export type SurveyState = 'upcoming' | 'open' | 'answered' | 'closed';

export function surveyState(s: Survey, now = Date.now()): SurveyState {
  if (now < Date.parse(s.opensAt)) return 'upcoming';
  if (now >= Date.parse(s.closesAt)) return 'closed';
  return s.answered ? 'answered' : 'open';
}

export const STATE_KEYS: Record<SurveyState, MessageKey> = { upcoming: 'svStateUpcoming', open: 'svStateOpen', answered: 'svStateAnswered', closed: 'svStateClosed' };
