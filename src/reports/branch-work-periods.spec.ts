import { beijingYearMonth, periodsBegun, periodsEnded } from './branch-work-periods';

describe('branch work periods (Beijing time)', () => {
  it('takes the Beijing month: 16:00 UTC on the last day of a month is already the next month in Beijing', () => {
    expect(beijingYearMonth(new Date('2026-03-31T15:59:59Z'))).toEqual({ year: 2026, month: 3 });
    expect(beijingYearMonth(new Date('2026-03-31T16:00:00Z'))).toEqual({ year: 2026, month: 4 });
    expect(beijingYearMonth(new Date('2026-12-31T16:00:00Z'))).toEqual({ year: 2027, month: 1 });
  });

  it('counts the periods begun so far in the current year, all of a past year, none of a future year', () => {
    const now = new Date('2026-04-02T02:00:00Z'); // 2 April, Beijing
    expect([periodsBegun('month', 2026, now), periodsBegun('quarter', 2026, now), periodsBegun('year', 2026, now)]).toEqual([4, 2, 1]);
    expect([periodsBegun('month', 2025, now), periodsBegun('quarter', 2025, now), periodsBegun('year', 2025, now)]).toEqual([12, 4, 1]);
    expect([periodsBegun('month', 2027, now), periodsBegun('quarter', 2027, now), periodsBegun('year', 2027, now)]).toEqual([0, 0, 0]);
  });

  it('counts only the periods that are over as overdue-able', () => {
    const now = new Date('2026-04-02T02:00:00Z');
    expect([periodsEnded('month', 2026, now), periodsEnded('quarter', 2026, now), periodsEnded('year', 2026, now)]).toEqual([3, 1, 0]);
    const january = new Date('2026-01-10T02:00:00Z');
    expect([periodsEnded('month', 2026, january), periodsEnded('quarter', 2026, january), periodsEnded('year', 2026, january)]).toEqual([0, 0, 0]);
    expect([periodsEnded('month', 2025, now), periodsEnded('quarter', 2025, now), periodsEnded('year', 2025, now)]).toEqual([12, 4, 1]);
  });
});
