/**
 * The payload of a `reminders.send` job. It sits here, below the reminders module, because the job registry
 * (jobs.ts) types every payload and must import nothing from the feature modules that handle them.
 */
export const REMINDER_KINDS = ['due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary', 'plan-due', 'plan-overdue', 'record-returned', 'branch-summary', 'survey-open', 'survey-closing'] as const;
/** The branch's year (一规一表一册): reminders about a branch's plan and handbook, not about a course. */
export const BRANCH_WORK_REMINDER_KINDS = ['plan-due', 'plan-overdue', 'record-returned', 'branch-summary'] as const;
/** The course id branch-work reminders carry in `courseId` (they belong to no course). */
export const NO_COURSE = '0';
/** 调查研究: a questionnaire has opened for the person, or closes soon and they have not answered. */
export const SURVEY_REMINDER_KINDS = ['survey-open', 'survey-closing'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** One reminder to one person. `key` (the dedupe key) is also its BullMQ job id. */
export interface ReminderJob {
  key: string;
  kind: ReminderKind;
  userId: string;
  courseId: string;
  /**
   * The activity (due-soon, overdue, session-tomorrow), the course (digest, summary), the plan item (plan-due,
   * plan-overdue), the record (record-returned), the unit (branch-summary) or the survey (survey-open, survey-closing).
   */
  subjectId: string;
  period: string;
}
