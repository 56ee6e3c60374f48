import type { Norm } from '../norms/norm.entity';
import { itemState, normsFor, prefilledItems, shortfalls, shortfallText } from './plan-rules';

const norm = (kind: string, minCount: number, per: Norm['per'], branchKinds: Norm['branchKinds'] = ['staff', 'student']): Norm =>
  ({ id: `n-${kind}`, versionId: '1', kind, name: kind, minCount, per, branchKinds, requires: [], position: 0 }) as Norm;

describe('plan rules', () => {
  it('places each norm’s count in its periods, each item in the month where its share of the period has passed', () => {
    const items = prefilledItems([norm('lecture', 1, 'quarter'), norm('talk', 2, 'year'), norm('day', 2, 'month'), norm('review', 3, 'quarter')]);
    const months = (kind: string) => items.filter((i) => i.kind === kind).map((i) => i.month);
    expect(months('lecture')).toEqual([3, 6, 9, 12]);
    expect(months('talk')).toEqual([6, 12]);
    expect(months('day')).toEqual(MONTHS.flatMap((m) => [m, m]));
    expect(months('review')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(items.find((i) => i.kind === 'lecture')).toMatchObject({ title: 'lecture（第一季度）', normId: 'n-lecture' });
    expect(items.filter((i) => i.kind === 'talk').map((i) => i.title)).toEqual(['talk（第 1 次）', 'talk（第 2 次）']);
    // Positions count from 0 within each month, in the order shown.
    expect(items.filter((i) => i.month === 12).map((i) => i.position)).toEqual(items.filter((i) => i.month === 12).map((_, n) => n));
  });

  it('keeps the norms of the branch’s kind', () => {
    expect(normsFor([norm('a', 1, 'year', ['staff']), norm('b', 1, 'year', ['student'])], 'student').map((n) => n.kind)).toEqual(['b']);
  });

  it('says where a plan falls short, period by period', () => {
    const norms = [norm('day', 1, 'month'), norm('lecture', 1, 'quarter'), norm('talk', 2, 'year')];
    const full = prefilledItems(norms);
    expect(shortfalls(norms, full)).toEqual([]);
    const fewer = full.filter((i) => !(i.kind === 'day' && i.month === 5) && !(i.kind === 'lecture' && i.month === 9)).slice(0, -1);
    const missing = shortfalls(norms, fewer);
    expect(missing.map(shortfallText)).toEqual(['day：5月少 1 次', 'lecture：第三季度少 1 次', 'talk：全年少 1 次']);
  });

  it('tells done, overdue, due and planned by the Beijing month', () => {
    const today = { year: 2026, month: 5 };
    expect(itemState(2026, 3, true, today)).toBe('done');
    expect(itemState(2026, 4, false, today)).toBe('overdue');
    expect(itemState(2026, 5, false, today)).toBe('due');
    expect(itemState(2026, 6, false, today)).toBe('planned');
    expect(itemState(2025, 12, false, today)).toBe('overdue');
    expect(itemState(2027, 1, false, today)).toBe('planned');
  });
});

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
