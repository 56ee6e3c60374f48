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

const H264 = ['-c:v', 'libx264', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-crf', '40'];
const AAC = ['-c:a', 'aac', '-b:a', '16k'];
const VP9 = ['-c:v', 'libvpx-vp9', '-b:v', '50k'];
const OPUS = ['-c:a', 'libopus', '-b:a', '16k'];

/** The kinds of file people upload: what phones, cameras, screen recorders and browsers write. */
const FORMATS = {
  // H.264 baseline + AAC with the index first: what every browser plays.
  mp4: { extension: 'mp4', audio: true, args: [...H264, ...AAC, '-movflags', '+faststart', '-f', 'mp4'] },
  // A screen recording or slides without a voice: no audio track at all.
  'mp4-video-only': { extension: 'mp4', audio: false, args: [...H264, '-movflags', '+faststart', '-f', 'mp4'] },
  // As phones write it: the index (moov) after the media.
  'mp4-moov-at-end': { extension: 'mp4', audio: true, args: [...H264, ...AAC, '-f', 'mp4'] },
  // Fragmented, as some recorders and streaming tools write it: the movie header holds no length.
  'mp4-fragmented': { extension: 'mp4', audio: false, args: [...H264, '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4'] },
  // An iPhone's QuickTime file.
  mov: { extension: 'mov', audio: true, args: [...H264, ...AAC, '-f', 'mov'] },
  webm: { extension: 'webm', audio: true, args: [...VP9, ...OPUS, '-f', 'webm'] },
  'webm-video-only': { extension: 'webm', audio: false, args: [...VP9, '-f', 'webm'] },
  // As a browser's MediaRecorder writes it: no Duration element, a segment of unknown size.
  'webm-live': { extension: 'webm', audio: true, args: [...VP9, ...OPUS, '-live', '1', '-f', 'webm'] },
} satisfies Record<string, { extension: string; audio: boolean; args: string[] }>;

export type SampleFormat = keyof typeof FORMATS;

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
 * A small real video of `seconds` (ffmpeg's test pattern at 160×90 and 10 fps, with a tone unless the format
 * has no audio), made on first use in this run and reused after: real frames and real tracks, so the upload's
 * byte sniffing and duration reading, Range playback and a browser's <video> all meet what a user would upload.
 */
export function sampleVideo(seconds: number, format: SampleFormat): SampleVideo {
  const { extension, audio, args } = FORMATS[format];
  const name = format === extension ? `sample-${seconds}s.${extension}` : `sample-${seconds}s-${format}.${extension}`;
  const path = join(SAMPLE_VIDEO_DIR, name);
  if (!existsSync(path)) {
    mkdirSync(SAMPLE_VIDEO_DIR, { recursive: true });
    const partial = `${path}.${process.pid}.part`;
    const source = ['-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=10', ...(audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440'] : [])];
    try {
      execFileSync(ffmpeg(), ['-loglevel', 'error', '-y', ...source, '-t', String(seconds), ...args, partial], {
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
