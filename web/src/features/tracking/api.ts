import type { MessageKey } from '../../i18n';

export interface Delivery {
  id: string;
  kind: string;
  status: string;
  user: { id: string; name: string };
  email: string | null;
  course: { id: string; title: string };
  period: string;
  mailAttempts: number;
  lastError: string | null;
  failureReason: FailureReason | null;
  sentAt: string | null;
  updatedAt: string;
}

export type FailureReason = 'invalid_address' | 'rejected' | 'unreachable' | 'other';

export interface DeliverySummary {
  sent: number;
  inAppOnly: number;
  skipped: number;
  waiting: number;
  failed: number;
  failedByReason: Record<FailureReason, number>;
}

export interface ReminderRun {
  jobId: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  queued: number;
  byKind: Record<string, number>;
  people: number;
  peopleByKind: Record<string, number>;
  delayMs: number;
}

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
};
