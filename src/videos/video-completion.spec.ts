import { isWatched, videoLength, videoOutcome } from './video-completion';

describe('video completion rule', () => {
  it('is done at the completion percent of the length, in progress below it', () => {
    const length = videoLength({ durationSeconds: 600, completionPercent: 80 });
    expect(length).toEqual({ durationSeconds: 600, thresholdSeconds: 480 });
    expect(videoOutcome(479, length)).toEqual({ kind: 'progress', percent: (479 / 600) * 100 });
    expect(videoOutcome(480, length)).toEqual({ kind: 'complete' });
  });

  it("uses the uploaded file's measured length over the one the editor gave", () => {
    expect(videoLength({ durationSeconds: 600, completionPercent: 50 }, 100)).toEqual({ durationSeconds: 100, thresholdSeconds: 50 });
  });

  it('at 100 % asks for the end less the half second players leave unreported', () => {
    const length = videoLength({ durationSeconds: 24, completionPercent: 100 });
    expect(isWatched(23.4, length)).toBe(false);
    expect(isWatched(23.5, length)).toBe(true);
  });
});
