import { ConflictException } from '@nestjs/common';
import type { CourseRow } from './course-rows';
import { assertWorkOpen, isMadeUp, makeUpEnd, stillDoable, workWindow } from './work-window';

const at = (iso: string) => new Date(`${iso}+08:00`);
const course = (overrides: Partial<CourseRow> = {}) =>
  ({ status: 'published', endsAt: at('2026-12-31T23:59:00'), graceDays: 0, makeUpPolicy: 'until_end', makeUpUntil: null, closedAt: null, ...overrides }) as CourseRow;
const quiz = { title: '第一次测验', type: 'quiz' as const, opensAt: at('2026-09-01T08:00:00'), dueAt: at('2026-10-01T18:00:00'), settings: {} };

describe('workWindow (补学)', () => {
  it('is not yet open before opensAt, open until dueAt', () => {
    expect(workWindow(quiz, course(), at('2026-08-31T08:00:00')).state).toBe('notYetOpen');
    expect(workWindow(quiz, course(), at('2026-10-01T17:59:00'))).toMatchObject({ state: 'open', closesAt: at('2026-12-31T23:59:00') });
  });

  it('after dueAt: make-up until the course closes (grace days included), until a set deadline, or closed', () => {
    const late = at('2026-10-02T09:00:00');
    expect(workWindow(quiz, course({ graceDays: 10 }), late)).toMatchObject({ state: 'makeUp', makeUpUntil: at('2027-01-10T23:59:00') });
    expect(workWindow(quiz, course({ makeUpPolicy: 'until', makeUpUntil: at('2026-10-15T18:00:00') }), late)).toMatchObject({ state: 'makeUp' });
    expect(workWindow(quiz, course({ makeUpPolicy: 'until', makeUpUntil: at('2026-10-02T08:00:00') }), late)).toMatchObject({ state: 'closed', closesAt: at('2026-10-02T08:00:00') });
    expect(workWindow(quiz, course({ makeUpPolicy: 'none' }), late)).toMatchObject({ state: 'closed', closesAt: quiz.dueAt, makeUpUntil: null });
  });

  it('never runs make-up past the course closing, and a closed course closes everything', () => {
    expect(makeUpEnd(course({ makeUpPolicy: 'until', makeUpUntil: at('2027-02-01T00:00:00') }))).toEqual(at('2026-12-31T23:59:00'));
    expect(workWindow({ ...quiz, dueAt: null }, course({ status: 'closed', closedAt: at('2026-11-01T00:00:00') }), at('2026-09-10T00:00:00')).state).toBe('closed');
  });

  it('refuses with a code and a Chinese message that gives the dates in Beijing time', () => {
    const refused = (c: CourseRow) => {
      try {
        assertWorkOpen(quiz, c, at('2026-10-20T09:00:00'));
      } catch (error) {
        return (error as ConflictException).getResponse() as { code: string; message: string };
      }
      throw new Error('not refused');
    };
    expect(refused(course({ makeUpPolicy: 'none' }))).toMatchObject({
      code: 'ACTIVITY_CLOSED',
      message: '「第一次测验」已于 2026年10月1日 18:00 截止，本培训班不安排补学，不能再提交。',
    });
    expect(refused(course({ makeUpPolicy: 'until', makeUpUntil: at('2026-10-15T18:00:00') }))).toMatchObject({
      code: 'MAKE_UP_CLOSED',
      message: '「第一次测验」已于 2026年10月1日 18:00 截止，补学也已于 2026年10月15日 18:00 结束，不能再提交。',
    });
    expect(assertWorkOpen(quiz, course(), at('2026-10-20T09:00:00')).state).toBe('makeUp');
  });

  it('marks work after the due date as made up, never a session; sessions are doable until they end', () => {
    expect(isMadeUp(quiz, at('2026-10-01T18:00:01'))).toBe(true);
    expect(isMadeUp(quiz, at('2026-10-01T17:00:00'))).toBe(false);
    expect(isMadeUp({ type: 'session', dueAt: quiz.dueAt }, at('2026-10-02T00:00:00'))).toBe(false);
    const session = { type: 'session' as const, opensAt: null, dueAt: null, settings: { startsAt: '2026-10-10T09:00:00+08:00', endsAt: '2026-10-10T12:00:00+08:00', location: '党校报告厅' } };
    expect(stillDoable(session, course(), at('2026-10-10T11:00:00'))).toBe(true);
    expect(stillDoable(session, course(), at('2026-10-10T12:30:00'))).toBe(false);
  });
});
