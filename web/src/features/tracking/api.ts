import type { MessageKey } from '../../i18n';
import type { Schema } from '../../api/types';

export type Delivery = Schema<'DeliveryResponse'>;

export type FailureReason = 'invalid_address' | 'rejected' | 'unreachable' | 'other';

export type DeliverySummary = Schema<'DeliverySummaryResponse'>;

export type ReminderRun = Schema<'ReminderRunResponse'>;

export const REASON_KEYS: Record<FailureReason, MessageKey> = {
  invalid_address: 'remReasonInvalidAddress',
  rejected: 'remReasonRejected',
  unreachable: 'remReasonUnreachable',
  other: 'remReasonOther',
};

export const KIND_KEYS: Record<string, MessageKey> = {
  'due-soon': 'remKindDueSoon',
  overdue: 'remKindOverdue',
  'session-tomorrow': 'remKindSessionTomorrow',
  digest: 'remKindDigest',
  summary: 'remKindSummary',
  'plan-due': 'remKindPlanDue',
  'plan-overdue': 'remKindPlanOverdue',
  'record-returned': 'remKindRecordReturned',
  'branch-summary': 'remKindBranchSummary',
  'survey-open': 'remKindSurveyOpen',
  'survey-closing': 'remKindSurveyClosing',
};
