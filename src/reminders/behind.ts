/**
 * Who is "behind" (进度落后), for the weekly digest and the admins' summary: not finished, and either a
 * required activity past its due time is not done, or fewer required activities are done than the share of
 * the training period that has passed. One rule, used as SQL by the fan-out and in code at send time.
 */
export interface BehindRule {
  expectedDone: number;
  overdueIds: string[];
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
  };
}

export function isBehind(rule: BehindRule, requiredDone: number, completedIds: Set<string>): boolean {
  return requiredDone < rule.expectedDone || rule.overdueIds.some((id) => !completedIds.has(id));
}

/** The same rule over `e` (enrollments) and `cp` (course_progress) for set-based selection. */
export function behindSql(rule: BehindRule): { sql: string; params: unknown[] } {
  if (!rule.overdueIds.length) return { sql: 'COALESCE(cp.required_done, 0) < ?', params: [rule.expectedDone] };
  return {
    sql:
      `(COALESCE(cp.required_done, 0) < ? OR (SELECT COUNT(*) FROM activity_progress ap2 WHERE ap2.user_id = e.user_id ` +
      `AND ap2.activity_id IN (${rule.overdueIds.map(() => '?').join(', ')}) AND ap2.state = 'completed') < ?)`,
    params: [rule.expectedDone, ...rule.overdueIds, rule.overdueIds.length],
  };
}
