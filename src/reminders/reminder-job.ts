import type { ReminderKind } from './reminder-delivery.entity';

/** One reminder to one person. `key` (the dedupe key) is also its BullMQ job id. */
export interface ReminderJob {
  key: string;
  kind: ReminderKind;
  userId: string;
  courseId: string;
  /** The activity (due-soon, overdue, session-tomorrow) or the course (digest, summary). */
  subjectId: string;
  period: string;
}

/** Dedupe key: kind, subject, period, recipient. No ':' (BullMQ forbids it in custom ids). */
export function reminderKeyPrefix(kind: ReminderKind, subjectId: string, period: string): string {
  return `rem.${kind}.${subjectId}.${period}.`;
}
