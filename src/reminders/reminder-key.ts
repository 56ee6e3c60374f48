import type { ReminderKind } from '../jobs/reminder-job';

/** Dedupe key: kind, subject, period, recipient. No ':' (BullMQ forbids it in custom ids). */
export function reminderKeyPrefix(kind: ReminderKind, subjectId: string, period: string): string {
  return `rem.${kind}.${subjectId}.${period}.`;
}
