/**
 * Who is "behind" (进度落后), for the weekly digest and the admins' summary: not finished, and either a
 * required activity past its due time is not done, or fewer required activities are done than the share of
 * the training period that has passed. One rule: in code at send time, and as SQL by the owners' repositories
 * (progress's onTrackIds for the fan-out, the reports read model for the admins' summary). The SQL asks each
 * learner's stored first missed due date (course_progress.first_missing_due_at) whether it is before `asOf`,
 * which says the same as "one of `overdueIds` is not done" without probing each learner's states.
 */
export interface BehindRule {
  expectedDone: number;
  overdueIds: string[];
  asOf: Date;
}

export function behindRule(
  course: { startsAt: Date; endsAt: Date },
  required: Array<{ id: string; dueAt: Date | null }>,
  now: Date,
): BehindRule {
  const span = course.endsAt.getTime() - course.startsAt.getTime();
  const elapsed = span > 0 ? Math.min(1, Math.max(0, (now.getTime() - course.startsAt.getTime()) / span)) : 1;
  return {
    expectedDone: Math.floor(required.length * elapsed),
    overdueIds: required.filter((a) => a.dueAt && a.dueAt.getTime() < now.getTime()).map((a) => a.id),
    asOf: now,
  };
}

export function isBehind(rule: BehindRule, requiredDone: number, completedIds: Set<string>): boolean {
  return requiredDone < rule.expectedDone || rule.overdueIds.some((id) => !completedIds.has(id));
}
