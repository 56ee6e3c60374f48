/**
 * The payload of a `reminders.send` job. It sits here, below the reminders module, because the job registry
 * (jobs.ts) types every payload and must import nothing from the feature modules that handle them.
 */
export const REMINDER_KINDS = ['due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

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
