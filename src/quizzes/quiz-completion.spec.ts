import { quizOutcome } from './quiz-completion';

describe('quiz completion rule', () => {
  it('a passed attempt completes the quiz', () => {
    expect(quizOutcome({ grading: 'best' }, true)).toEqual({ kind: 'complete' });
    expect(quizOutcome({ grading: 'last' }, true)).toEqual({ kind: 'complete' });
  });

  it('a failed one keeps an earlier pass under best-attempt grading and takes it back under last-attempt grading', () => {
    expect(quizOutcome({ grading: 'best' }, false)).toEqual({ kind: 'progress', percent: 0 });
    expect(quizOutcome({ grading: 'last' }, false)).toEqual({ kind: 'reopen', reason: 'last attempt failed' });
  });
});
