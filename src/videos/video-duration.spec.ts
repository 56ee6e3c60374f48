import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SampleFormat, sampleVideo } from '../../test/support/sample-videos';
import { readVideoDuration } from './video-duration';

const dir = mkdtempSync(join(tmpdir(), 'bst-duration-'));
function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const containerOf = (format: SampleFormat) => (format.startsWith('webm') ? 'matroska' : 'isobmff');

describe('readVideoDuration', () => {
  // Real files from ffmpeg: every layout a phone, camera, screen recorder or browser writes.
  it.each<SampleFormat>(['mp4', 'mp4-video-only', 'mp4-moov-at-end', 'mp4-fragmented', 'mov', 'webm', 'webm-video-only', 'webm-live'])(
    'reads the length of a 7-second %s',
    async (format) => {
      const sample = sampleVideo(7, format);
      // ±0.1 s, and AAC's priming frames may add up to one audio frame more.
      expect(await readVideoDuration(sample.path, containerOf(format))).toBeGreaterThanOrEqual(6.9);
      expect(await readVideoDuration(sample.path, containerOf(format))).toBeLessThanOrEqual(7.1);
    },
  );

  it('refuses a file cut short, wherever the cut falls', async () => {
    for (const format of ['mp4', 'mp4-moov-at-end', 'webm', 'webm-live'] as const) {
      const { bytes } = sampleVideo(7, format);
      for (const length of [0, 7, 100, 2000, Math.floor(bytes.length / 2), bytes.length - 1]) {
        expect([format, length, await readVideoDuration(file(`cut-${format}-${length}`, bytes.subarray(0, length)), containerOf(format))]).toEqual([
          format,
          length,
          null,
        ]);
      }
    }
  });

  it('answers a number or null, never an error, for damaged files', async () => {
    // A fixed pseudo-random sequence: the same damage every run.
    let seed = 20261206;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const format of ['mp4', 'mp4-moov-at-end', 'mp4-fragmented', 'webm', 'webm-live'] as const) {
      const { bytes } = sampleVideo(7, format);
      for (let round = 0; round < 40; round++) {
        const damaged = Buffer.from(bytes);
        // Damage where the lengths live: the first kilobytes, and for the index at the end, the last ones.
        for (let i = 0; i < 8; i++) {
          const at = Math.floor(random() * Math.min(4096, bytes.length));
          damaged[round % 2 ? at : bytes.length - 1 - at] = Math.floor(random() * 256);
        }
        const duration = await readVideoDuration(file(`damaged-${format}-${round}`, damaged), containerOf(format));
        expect(duration === null || (Number.isFinite(duration) && duration > 0)).toBe(true);
      }
    }
  });

  it('measures a MediaRecorder-style WebM whose clusters have an unknown size and no Duration anywhere', async () => {
    // Chrome's MediaRecorder: segment and clusters of unknown size; 25 fps video (DefaultDuration 40 ms).
    const unknown = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const element = (id: number[], content: Buffer) => Buffer.concat([Buffer.from(id), vintSize(content.length), content]);
    const uint = (id: number[], value: number, bytes = 4) => element(id, uintBytes(value, bytes));
    const block = (relative: number) => element([0xa3], Buffer.from([0x81, (relative >> 8) & 0xff, relative & 0xff, 0x80, 0, 0, 0]));
    const cluster = (time: number, frames: number) =>
      Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75]), unknown, uint([0xe7], time), ...Array.from({ length: frames }, (_, i) => block(i * 40))]);
    const webm = Buffer.concat([
      element([0x1a, 0x45, 0xdf, 0xa3], element([0x42, 0x82], Buffer.from('webm'))),
      Buffer.from([0x18, 0x53, 0x80, 0x67]),
      unknown,
      element([0x15, 0x49, 0xa9, 0x66], uint([0x2a, 0xd7, 0xb1], 1_000_000, 3)),
      element([0x16, 0x54, 0xae, 0x6b], element([0xae], Buffer.concat([uint([0xd7], 1, 1), uint([0x23, 0xe3, 0x83], 40_000_000)]))),
      cluster(0, 50), // 0–2 s
      cluster(2000, 50), // 2–4 s
      cluster(4000, 25), // the last frame starts at 4.96 s and lasts 40 ms
    ]);
    expect(await readVideoDuration(file('recorder.webm', webm), 'matroska')).toBeCloseTo(5, 3);
  });

  it('says null for a file with no length in it, rather than guessing', async () => {
    const ftypOnly = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0])]);
    expect(await readVideoDuration(file('ftyp.mp4', ftypOnly), 'isobmff')).toBeNull();
    const headerOnly = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80]);
    expect(await readVideoDuration(file('header.webm', headerOnly), 'matroska')).toBeNull();
  });
});

function vintSize(length: number): Buffer {
  if (length < 0x7f) return Buffer.from([0x80 | length]);
  return Buffer.from([0x40 | (length >> 8), length & 0xff]);
}

function uintBytes(value: number, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUIntBE(value, 0, bytes);
  return buffer;
}
