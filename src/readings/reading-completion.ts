import type { ReadingSettings } from '../courses/activity-settings';
import type { ActivityOutcome } from '../progress/activity-outcome';

/**
 * The reading completion rule: a submitted reflection completes the reading, or, when the reading asks for
 * approval, is halfway until approved. `submittedAt` is when the learner handed it in, so an approval after
 * the due date does not make an in-time reflection 补学.
 */
export function reflectionOutcome(settings: Pick<ReadingSettings, 'reflectionNeedsApproval'>, approved: boolean, submittedAt?: Date): ActivityOutcome {
  return approved || !settings.reflectionNeedsApproval ? { kind: 'complete', workedAt: submittedAt } : { kind: 'progress', percent: 50 };
}
