import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface SampleVideo {
  /** The file's name, as an upload would carry it. */
  name: string;
  path: string;
  bytes: Buffer;
}

/** Where the samples of this test run are made (global set-up empties it first). */
export const SAMPLE_VIDEO_DIR = join(__dirname, '..', '..', 'test-output', 'sample-videos');

const ENCODINGS: Record<'mp4' | 'webm', string[]> = {
  // H.264 baseline + AAC with the index first: what a phone records and every browser plays.
  mp4: ['-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-crf', '40', '-c:a', 'aac', '-b:a', '16k', '-movflags', '+faststart'],
  webm: ['-c:v', 'libvpx-vp9', '-b:v', '50k', '-c:a', 'libopus', '-b:a', '16k'],
};

export const FFMPEG_FIX = 'the tests make their sample videos with ffmpeg: apt-get install -y ffmpeg (or set FFMPEG_PATH)';

function ffmpeg(): string {
  return process.env.FFMPEG_PATH ?? 'ffmpeg';
}

/** Fails with the fix named when ffmpeg is missing (called by the global set-up, before any test runs). */
export function assertFfmpeg(): void {
  try {
    execFileSync(ffmpeg(), ['-hide_banner', '-version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`No ffmpeg found: ${FFMPEG_FIX}`);
  }
}

/**
 * A small real video of `seconds` (ffmpeg's test pattern at 160×90 and 10 fps, with a tone), made on first
 * use in this run and reused after: real frames and a real audio track, so the upload's byte sniffing and
 * duration reading, Range playback and a browser's <video> all meet what a user would upload.
 */
export function sampleVideo(seconds: number, container: 'mp4' | 'webm'): SampleVideo {
  const name = `sample-${seconds}s.${container}`;
  const path = join(SAMPLE_VIDEO_DIR, name);
  if (!existsSync(path)) {
    mkdirSync(SAMPLE_VIDEO_DIR, { recursive: true });
    const partial = `${path}.${process.pid}.part`;
    const source = ['-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440'];
    try {
      execFileSync(ffmpeg(), ['-loglevel', 'error', '-y', ...source, '-t', String(seconds), ...ENCODINGS[container], '-f', container, partial], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
      if (failure.code === 'ENOENT') throw new Error(`No ffmpeg found: ${FFMPEG_FIX}`);
      throw new Error(`ffmpeg could not make ${name}: ${failure.stderr?.toString() ?? failure.message}`);
    }
    // Renamed when complete: a test never reads a half-written file.
    renameSync(partial, path);
  }
  return { name, path, bytes: readFileSync(path) };
}
