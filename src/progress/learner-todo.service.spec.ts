import { chinaDayStart } from './learner-todo.service';

describe('chinaDayStart: China-time calendar days, whatever the server zone', () => {
  it('counts from the China-time day, which starts at 16:00 UTC the day before', () => {
    // 23:30 in Beijing on 11-25 is still 11-25 there: a week on is the start of 12-02.
    expect(chinaDayStart(new Date('2026-11-25T23:30:00+08:00'), 7).toISOString()).toBe('2026-12-01T16:00:00.000Z');
    // 00:10 in Beijing on 11-26 (16:10 UTC on 11-25) is already the next China day.
    expect(chinaDayStart(new Date('2026-11-25T16:10:00Z'), 7).toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(chinaDayStart(new Date('2026-11-25T08:00:00+08:00'), 0).toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });
});
