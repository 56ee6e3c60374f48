import type { Activity } from './activity.entity';
import { planWarnings, checkPlan } from './plan-check';

const course = { startsAt: new Date('2026-09-01T00:00:00+08:00'), endsAt: new Date('2026-12-31T23:59:59+08:00'), requiredCreditHours: 5, requiredSessions: 1 };

function activity(overrides: Partial<Activity>): Activity {
  return {
    id: '1', type: 'video', title: '视频', required: true, creditHours: 2, opensAt: null, dueAt: null, archivedAt: null,
    settings: { durationSeconds: 60, completionPercent: 90 },
    ...overrides,
  } as Activity;
}
const session = (id: string, startsAt: string) =>
  activity({ id, type: 'session', title: '报告会', creditHours: 3, settings: { startsAt, endsAt: '2026-10-21T17:30:00+08:00', location: '报告厅' } });

describe('checkPlan', () => {
  it('accepts a sound plan', () => {
    expect(checkPlan(course, [activity({}), session('2', '2026-10-21T14:30:00+08:00')])).toEqual([]);
  });

  it('lists every problem at once, each with its activity and field', () => {
    const problems = checkPlan(course, [
      activity({ id: '1', dueAt: new Date('2027-01-05T00:00:00+08:00') }),
      activity({ id: '2', opensAt: new Date('2026-10-10T00:00:00+08:00'), dueAt: new Date('2026-10-01T00:00:00+08:00') }),
      activity({ id: '3', type: 'reading', settings: { body: '' } as never }),
    ]);
    expect(problems.map((p) => [p.activityId, p.field])).toEqual([
      ['1', 'dueAt'],
      ['2', 'dueAt'],
      ['3', 'body'],
      [null, 'requiredSessions'],
    ]);
  });

  it('counts neither archived activities nor their hours', () => {
    const problems = checkPlan(course, [activity({ creditHours: 10, archivedAt: new Date() }), session('2', '2026-10-21T14:30:00+08:00')]);
    expect(problems.map((p) => p.field)).toEqual(['requiredCreditHours']);
  });

  it('checks a session’s own time against the period, and needs at least one activity', () => {
    expect(checkPlan(course, [activity({}), session('2', '2026-08-20T14:30:00+08:00')]).map((p) => [p.activityId, p.field])).toEqual([['2', 'startsAt']]);
    expect(checkPlan({ ...course, requiredCreditHours: 0, requiredSessions: 0 }, []).map((p) => p.field)).toEqual(['activities']);
  });

  it('warns (without refusing) about required videos that have no file yet', () => {
    const plan = [activity({ id: '1' }), activity({ id: '2', required: false, creditHours: 0 }), session('3', '2026-10-21T14:30:00+08:00')];
    expect(checkPlan(course, plan)).toEqual([]);
    expect(planWarnings(plan, new Set()).map((p) => [p.activityId, p.field])).toEqual([['1', 'file']]);
    expect(planWarnings(plan, new Set(['1']))).toEqual([]);
  });
});
