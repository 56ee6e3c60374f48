import { FileHandle, open } from 'node:fs/promises';

/**
 * A video's length in seconds, read from its container, with or without an audio track:
 * - MP4, M4V and MOV (ISO base media / QuickTime): the movie header (`moov/mvhd`), wherever `moov` lies
 *   (phones write it after the media); else the fragment header (`mvex/mehd`), the longest track
 *   (`tkhd`, `mdhd`), or, for a fragmented file with none of these, the sum of its fragments' samples.
 * - WebM (Matroska): the segment's `Info/Duration`; MediaRecorder writes none, so then the last frame's
 *   time and length, found by walking the clusters' block headers (payloads are skipped, not read).
 * Never more of the file is read than these headers. `null` when the file is not complete (a box or an
 * element runs past its end) or holds no length.
 */
export async function readVideoDuration(path: string, container: 'isobmff' | 'matroska'): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const reader = new FileReader(handle, (await handle.stat()).size);
    const seconds = container === 'isobmff' ? await isoDuration(reader) : await matroskaDuration(reader);
    return seconds !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  } catch (error) {
    // Damaged bytes may also send a field read past its buffer (RangeError): an unreadable file all the same.
    if (error instanceof Unreadable || error instanceof RangeError) return null;
    throw error;
  } finally {
    await handle.close();
  }
}

/** The file is cut short or malformed where its length is kept. */
class Unreadable extends Error {}

/** No header or metadata block of a real video comes near this; a bigger one is damage, not data to load. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const WINDOW_BYTES = 64 * 1024;

/** Reads through a 64 KiB window, so walking many small headers costs few system calls. */
class FileReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Exactly `length` bytes at `position`, or Unreadable when the file ends first. */
  async bytes(position: number, length: number): Promise<Buffer> {
    const found = await this.upTo(position, length);
    if (found.length < length) throw new Unreadable();
    return found;
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  async upTo(position: number, length: number): Promise<Buffer> {
    if (length > MAX_HEADER_BYTES) throw new Unreadable();
    const offset = position - this.windowStart;
    if (offset >= 0 && offset + length <= this.window.length) return this.window.subarray(offset, offset + length);
    const buffer = Buffer.alloc(Math.min(Math.max(length, WINDOW_BYTES), Math.max(0, this.size - position)));
    const { bytesRead } = buffer.length ? await this.handle.read(buffer, 0, buffer.length, position) : { bytesRead: 0 };
    this.window = buffer.subarray(0, bytesRead);
    this.windowStart = position;
    return this.window.subarray(0, Math.min(length, bytesRead));
  }
}

// ---------------------------------------------------------------- MP4 / MOV (ISO base media, QuickTime)

interface Box {
  type: string;
  /** Where the box's content starts (after its header) and ends. */
  start: number;
  end: number;
}

/** The boxes of a file's top level; Unreadable when one runs past the end of the file (an upload cut short). */
async function topLevelBoxes(reader: FileReader): Promise<Box[]> {
  const boxes: Box[] = [];
  let position = 0;
  while (position < reader.size) {
    const header = await reader.upTo(position, 16);
    if (header.length < 8) throw new Unreadable();
    const box = boxAt(header, 0, position, reader.size);
    if (box.end > reader.size) throw new Unreadable();
    boxes.push(box);
    position = box.end;
  }
  return boxes;
}

/** The box whose header is at `offset` of `buffer`, which holds the file from `base` on; `limit` ends a size-0 box. */
function boxAt(buffer: Buffer, offset: number, base: number, limit: number): Box {
  if (offset + 8 > buffer.length) throw new Unreadable();
  const size32 = buffer.readUInt32BE(offset);
  const type = buffer.toString('latin1', offset + 4, offset + 8);
  let headerSize = 8;
  let size = size32;
  if (size32 === 1) {
    if (offset + 16 > buffer.length) throw new Unreadable();
    size = Number(buffer.readBigUInt64BE(offset + 8));
    headerSize = 16;
  } else if (size32 === 0) {
    size = limit - (base + offset);
  }
  if (size < headerSize) throw new Unreadable();
  return { type, start: base + offset + headerSize, end: base + offset + size };
}

/** The child boxes of a box held in memory (`buffer` starts at file position `base`). */
function children(buffer: Buffer, base: number, parent: Box): Box[] {
  const boxes: Box[] = [];
  let position = parent.start;
  while (position + 8 <= parent.end) {
    const box = boxAt(buffer, position - base, base, parent.end);
    if (box.end > parent.end) throw new Unreadable();
    boxes.push(box);
    position = box.end;
  }
  return boxes;
}

const child = (buffer: Buffer, base: number, parent: Box, type: string) => children(buffer, base, parent).find((box) => box.type === type);

/** A full box's version and flags, and where its fields start (all relative to `buffer`). */
function fullBox(buffer: Buffer, base: number, box: Box): { version: number; flags: number; at: number } {
  const at = box.start - base;
  if (at + 4 > buffer.length) throw new Unreadable();
  return { version: buffer.readUInt8(at), flags: buffer.readUIntBE(at + 1, 3), at: at + 4 };
}

/** A 32- or 64-bit field; the all-ones value means "unknown" in every duration field. */
function uint(buffer: Buffer, at: number, wide: boolean): number | null {
  if (at + (wide ? 8 : 4) > buffer.length) throw new Unreadable();
  if (wide) {
    const value = buffer.readBigUInt64BE(at);
    return value === 0xffffffffffffffffn ? null : Number(value);
  }
  const value = buffer.readUInt32BE(at);
  return value === 0xffffffff ? null : value;
}

/** `timescale` and `duration` of an mvhd or mdhd box (same layout). */
function timeHeader(buffer: Buffer, base: number, box: Box): { timescale: number; duration: number | null } {
  const { version, at } = fullBox(buffer, base, box);
  const wide = version === 1;
  const timescaleAt = at + (wide ? 16 : 8);
  const timescale = uint(buffer, timescaleAt, false) ?? 0;
  return { timescale, duration: uint(buffer, timescaleAt + 4, wide) };
}

async function isoDuration(reader: FileReader): Promise<number | null> {
  const top = await topLevelBoxes(reader);
  const moovBox = top.find((box) => box.type === 'moov');
  if (!moovBox) return null;
  const moov = await reader.bytes(moovBox.start, moovBox.end - moovBox.start);
  const base = moovBox.start;

  const mvhd = child(moov, base, moovBox, 'mvhd');
  if (!mvhd) return null;
  const movie = timeHeader(moov, base, mvhd);
  if (movie.timescale === 0) return null;
  if (movie.duration) return movie.duration / movie.timescale;

  // A fragmented file: the movie header says 0, the fragments hold the samples.
  const mvex = child(moov, base, moovBox, 'mvex');
  const mehd = mvex && child(moov, base, mvex, 'mehd');
  if (mehd) {
    const { version, at } = fullBox(moov, base, mehd);
    const fragmentDuration = uint(moov, at, version === 1);
    if (fragmentDuration) return fragmentDuration / movie.timescale;
  }

  const tracks = new Map<number, { timescale: number; defaultSampleDuration: number }>();
  let longest = 0;
  for (const trak of children(moov, base, moovBox).filter((box) => box.type === 'trak')) {
    const tkhd = child(moov, base, trak, 'tkhd');
    const mdia = child(moov, base, trak, 'mdia');
    const mdhd = mdia && child(moov, base, mdia, 'mdhd');
    if (!tkhd || !mdhd) continue;
    const { version, at } = fullBox(moov, base, tkhd);
    const trackId = uint(moov, at + (version === 1 ? 16 : 8), false) ?? 0;
    const trackDuration = uint(moov, at + (version === 1 ? 24 : 16), version === 1);
    if (trackDuration) longest = Math.max(longest, trackDuration / movie.timescale);
    const media = timeHeader(moov, base, mdhd);
    if (media.timescale === 0) continue;
    if (media.duration) longest = Math.max(longest, media.duration / media.timescale);
    tracks.set(trackId, { timescale: media.timescale, defaultSampleDuration: 0 });
  }
  if (longest > 0) return longest;

  for (const trex of mvex ? children(moov, base, mvex).filter((box) => box.type === 'trex') : []) {
    const { at } = fullBox(moov, base, trex);
    const track = tracks.get(uint(moov, at, false) ?? 0);
    if (track) track.defaultSampleDuration = uint(moov, at + 8, false) ?? 0;
  }
  return fragmentsDuration(reader, top, tracks);
}

/** The end of the latest sample of any track, from the fragments' decode times and sample durations. */
async function fragmentsDuration(reader: FileReader, top: Box[], tracks: Map<number, { timescale: number; defaultSampleDuration: number }>): Promise<number | null> {
  const ends = new Map<number, number>();
  for (const moofBox of top.filter((box) => box.type === 'moof')) {
    const moof = await reader.bytes(moofBox.start, moofBox.end - moofBox.start);
    const base = moofBox.start;
    for (const traf of children(moof, base, moofBox).filter((box) => box.type === 'traf')) {
      const tfhd = child(moof, base, traf, 'tfhd');
      if (!tfhd) continue;
      const header = fullBox(moof, base, tfhd);
      const trackId = uint(moof, header.at, false) ?? 0;
      const track = tracks.get(trackId);
      if (!track) continue;
      // tfhd's optional fields, in order: base data offset (8), sample description index (4), default duration (4).
      let defaultDuration = track.defaultSampleDuration;
      if (header.flags & 0x08) {
        const at = header.at + 4 + (header.flags & 0x01 ? 8 : 0) + (header.flags & 0x02 ? 4 : 0);
        defaultDuration = uint(moof, at, false) ?? 0;
      }
      const tfdt = child(moof, base, traf, 'tfdt');
      let time = ends.get(trackId) ?? 0;
      if (tfdt) {
        const { version, at } = fullBox(moof, base, tfdt);
        time = uint(moof, at, version === 1) ?? time;
      }
      for (const trun of children(moof, base, traf).filter((box) => box.type === 'trun')) {
        time += trunDuration(moof, base, trun, defaultDuration);
      }
      ends.set(trackId, Math.max(ends.get(trackId) ?? 0, time));
    }
  }
  let longest = 0;
  for (const [trackId, end] of ends) longest = Math.max(longest, end / tracks.get(trackId)!.timescale);
  return longest || null;
}

function trunDuration(buffer: Buffer, base: number, trun: Box, defaultDuration: number): number {
  const { flags, at } = fullBox(buffer, base, trun);
  const count = uint(buffer, at, false) ?? 0;
  let position = at + 4 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
  if (!(flags & 0x100)) return count * defaultDuration;
  const fieldsPerSample = [0x100, 0x200, 0x400, 0x800].filter((flag) => flags & flag).length;
  let total = 0;
  for (let sample = 0; sample < count; sample++, position += fieldsPerSample * 4) total += uint(buffer, position, false) ?? 0;
  return total;
}

// ---------------------------------------------------------------- WebM (Matroska)

const EBML = {
  header: 0x1a45dfa3,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  defaultDuration: 0x23e383,
  cluster: 0x1f43b675,
  clusterTimecode: 0xe7,
  blockGroup: 0xa0,
  block: 0xa1,
  blockDuration: 0x9b,
  simpleBlock: 0xa3,
} as const;

/** The elements whose children are walked in place (the rest are skipped or read whole). */
const DESCEND: ReadonlySet<number> = new Set([EBML.segment, EBML.cluster, EBML.blockGroup]);

interface Element {
  id: number;
  /** Where the content starts, and its size (null: unknown, as live recorders write for segments and clusters). */
  start: number;
  size: number | null;
}

/** A variable-length integer (EBML vint) at `at`: its value (marker kept for ids) and length in bytes. */
function vint(buffer: Buffer, at: number, keepMarker: boolean): { value: number | null; length: number } {
  if (at >= buffer.length) throw new Unreadable();
  const first = buffer[at];
  const length = first === 0 ? 9 : 8 - Math.floor(Math.log2(first));
  if (length > 8 || at + length > buffer.length) throw new Unreadable();
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buffer[at + i];
    allOnes &&= buffer[at + i] === 0xff;
  }
  return { value: !keepMarker && allOnes ? null : value, length };
}

async function elementAt(reader: FileReader, position: number): Promise<Element> {
  const header = await reader.upTo(position, 12);
  const id = vint(header, 0, true);
  const size = vint(header, id.length, false);
  return { id: id.value!, start: position + id.length + size.length, size: size.value };
}

function uintOf(buffer: Buffer): number {
  return buffer.length ? buffer.readUIntBE(0, Math.min(buffer.length, 6)) : 0;
}

/** The direct children of an element held in memory. */
function* elementsIn(buffer: Buffer): Generator<{ id: number; data: Buffer }> {
  let at = 0;
  while (at < buffer.length) {
    const id = vint(buffer, at, true);
    const size = vint(buffer, at + id.length, false);
    const start = at + id.length + size.length;
    if (size.value === null || start + size.value > buffer.length) throw new Unreadable();
    yield { id: id.value!, data: buffer.subarray(start, start + size.value) };
    at = start + size.value;
  }
}

interface TrackTimes {
  /** Frame length from the track header (DefaultDuration), in ticks. */
  frame: number | null;
  last: number | null;
  beforeLast: number | null;
  /** The latest end known from an explicit BlockDuration. */
  end: number;
}

async function matroskaDuration(reader: FileReader): Promise<number | null> {
  let scale = 1_000_000; // nanoseconds per tick: Matroska's default, milliseconds
  const tracks = new Map<number, TrackTimes>();
  const trackOf = (number: number) => {
    let track = tracks.get(number);
    if (!track) tracks.set(number, (track = { frame: null, last: null, beforeLast: null, end: 0 }));
    return track;
  };
  let clusterTime = 0;
  let lastBlock: { track: TrackTimes; time: number } | null = null;

  let position = 0;
  while (position < reader.size) {
    const element = await elementAt(reader, position);
    if (element.size !== null && element.start + element.size > reader.size) throw new Unreadable();
    if (DESCEND.has(element.id)) {
      position = element.start;
      continue;
    }
    if (element.size === null) throw new Unreadable();
    const next = element.start + element.size;
    switch (element.id) {
      case EBML.info: {
        let duration: number | null = null;
        for (const field of elementsIn(await reader.bytes(element.start, element.size))) {
          if (field.id === EBML.timecodeScale) scale = uintOf(field.data) || scale;
          if (field.id === EBML.duration) duration = field.data.length === 4 ? field.data.readFloatBE(0) : field.data.length === 8 ? field.data.readDoubleBE(0) : null;
        }
        if (duration && duration > 0) return (duration * scale) / 1e9;
        break;
      }
      case EBML.tracks:
        for (const entry of elementsIn(await reader.bytes(element.start, element.size))) {
          if (entry.id !== EBML.trackEntry) continue;
          let number = 0;
          let frameNs: number | null = null;
          for (const field of elementsIn(entry.data)) {
            if (field.id === EBML.trackNumber) number = uintOf(field.data);
            if (field.id === EBML.defaultDuration) frameNs = uintOf(field.data);
          }
          if (frameNs) trackOf(number).frame = frameNs / scale;
        }
        break;
      case EBML.clusterTimecode:
        clusterTime = uintOf(await reader.bytes(element.start, element.size));
        break;
      case EBML.simpleBlock:
      case EBML.block: {
        // Block header: track number (vint), then the time relative to the cluster (signed 16 bits).
        const header = await reader.bytes(element.start, Math.min(element.size, 11));
        const track = vint(header, 0, false);
        if (track.length + 2 > header.length) throw new Unreadable();
        const time = clusterTime + header.readInt16BE(track.length);
        const times = trackOf(track.value ?? 0);
        if (times.last === null || time >= times.last) [times.beforeLast, times.last] = [times.last, time];
        lastBlock = { track: times, time };
        break;
      }
      case EBML.blockDuration:
        if (lastBlock) lastBlock.track.end = Math.max(lastBlock.track.end, lastBlock.time + uintOf(await reader.bytes(element.start, element.size)));
        break;
    }
    position = next;
  }

  // The last frame lasts its track's frame length, or as long as the gap before it.
  let end = 0;
  for (const track of tracks.values()) {
    if (track.last === null) continue;
    const frame = track.frame ?? (track.beforeLast !== null ? track.last - track.beforeLast : 0);
    end = Math.max(end, track.end, track.last + frame);
  }
  return end ? (end * scale) / 1e9 : null;
}
