import { attendanceOutcome } from './attendance-completion';

describe('session completion rule', () => {
  it('present completes the session; absent or excused takes a completion back', () => {
    expect(attendanceOutcome('present')).toEqual({ kind: 'complete' });
    expect(attendanceOutcome('absent')).toEqual({ kind: 'reopen', reason: 'attendance absent' });
    expect(attendanceOutcome('excused')).toEqual({ kind: 'reopen', reason: 'attendance excused' });
  });
});
