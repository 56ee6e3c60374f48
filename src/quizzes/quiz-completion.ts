import type { QuizSettings } from '../courses/activity-settings';
import type { ActivityOutcome } from '../progress/activity-outcome';

/**
 * The quiz completion rule: an attempt that passes completes the quiz. With last-attempt grading a failed
 * attempt after a pass takes the completion (and its 学时) back; otherwise a fail leaves what was earned.
 */
export function quizOutcome(settings: Pick<QuizSettings, 'grading'>, passed: boolean): ActivityOutcome {
  if (passed) return { kind: 'complete' };
  return settings.grading === 'last' ? { kind: 'reopen', reason: 'last attempt failed' } : { kind: 'progress', percent: 0 };
}
