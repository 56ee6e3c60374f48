import { reflectionOutcome } from './reading-completion';

describe('reading completion rule', () => {
  const handedIn = new Date('2026-10-01T08:00:00Z');

  it('a submitted reflection completes a reading that asks for no approval, as of its submission', () => {
    expect(reflectionOutcome({ reflectionNeedsApproval: false }, false, handedIn)).toEqual({ kind: 'complete', workedAt: handedIn });
  });

  it('one that needs approval is halfway until approved, then done as of its submission (no 补学 for a late approval)', () => {
    expect(reflectionOutcome({ reflectionNeedsApproval: true }, false, handedIn)).toEqual({ kind: 'progress', percent: 50 });
    expect(reflectionOutcome({ reflectionNeedsApproval: true }, true, handedIn)).toEqual({ kind: 'complete', workedAt: handedIn });
  });
});
