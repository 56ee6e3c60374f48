import type { VideoSettings } from '../courses/activity-settings';
import type { ActivityOutcome } from '../progress/activity-outcome';

/** Players stop reporting a fraction of a second before the real end of the file. */
const END_TOLERANCE_SECONDS = 0.5;

/** A lesson's length and the distinct watched seconds that complete it. */
export interface VideoLength {
  durationSeconds: number;
  thresholdSeconds: number;
}

/**
 * The video completion rule: done when the distinct watched seconds reach the lesson's completion percent of
 * the file's length (the uploaded file's measured length, else the one the editor gave), and never later than
 * the end less what players leave unreported.
 */
export function videoLength(settings: Pick<VideoSettings, 'durationSeconds' | 'completionPercent'>, fileDurationSeconds?: number | null): VideoLength {
  const durationSeconds = fileDurationSeconds ?? settings.durationSeconds;
  return {
    durationSeconds,
    thresholdSeconds: Math.min((durationSeconds * settings.completionPercent) / 100, durationSeconds - END_TOLERANCE_SECONDS),
  };
}

export function isWatched(watchedSeconds: number, length: VideoLength): boolean {
  return watchedSeconds >= length.thresholdSeconds;
}

/** What watching so many distinct seconds of the lesson tells the progress engine. */
export function videoOutcome(watchedSeconds: number, length: VideoLength): ActivityOutcome {
  return isWatched(watchedSeconds, length) ? { kind: 'complete' } : { kind: 'progress', percent: (watchedSeconds / length.durationSeconds) * 100 };
}
