import { chinaDay, chinaWeek, quietDelayMs } from './periods';

const quiet = { start: '22:00', end: '07:00' };
const HOUR = 3600 * 1000;

describe('quiet hours (China time)', () => {
  it('sends at once outside the quiet hours', () => {
    expect(quietDelayMs(new Date('2026-11-25T10:00:00+08:00'), quiet)).toBe(0);
    expect(quietDelayMs(new Date('2026-11-25T21:59:00+08:00'), quiet)).toBe(0);
    expect(quietDelayMs(new Date('2026-11-25T07:00:00+08:00'), quiet)).toBe(0);
  });

  it('defers to 07:00 from before and after midnight', () => {
    expect(quietDelayMs(new Date('2026-11-25T22:00:00+08:00'), quiet)).toBe(9 * HOUR);
    expect(quietDelayMs(new Date('2026-11-26T06:30:00+08:00'), quiet)).toBe(HOUR / 2);
  });

  it('handles a daytime period and off', () => {
    expect(quietDelayMs(new Date('2026-11-25T13:00:00+08:00'), { start: '12:00', end: '14:00' })).toBe(HOUR);
    expect(quietDelayMs(new Date('2026-11-25T23:00:00+08:00'), null)).toBe(0);
  });
});

describe('periods', () => {
  it('uses the China-time day and ISO week', () => {
    expect(chinaDay(new Date('2026-11-25T17:00:00Z'))).toBe('20261126');
    expect(chinaWeek(new Date('2026-11-25T12:00:00+08:00'))).toBe('2026W48');
    expect(chinaWeek(new Date('2026-11-29T23:30:00+08:00'))).toBe('2026W48');
    expect(chinaWeek(new Date('2026-11-30T00:30:00+08:00'))).toBe('2026W49');
    expect(chinaWeek(new Date('2027-01-01T12:00:00+08:00'))).toBe('2026W53');
  });
});
