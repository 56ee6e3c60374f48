import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ByteRange, StorageDriver, StoredObject } from './storage';

/** Files under STORAGE_DIR (outside any web-served folder). */
export class LocalDiskStorage extends StorageDriver {
  private readonly root: string;
  /** Folders made by putBytes: a batch of a thousand certificates of one course makes its folder once. */
  private readonly made = new Set<string>();

  constructor(dir: string) {
    super();
    this.root = resolve(dir);
  }

  async putFile(key: string, localPath: string): Promise<StoredObject> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // The temporary file sits on another filesystem: copy, then remove it.
      await copyFile(localPath, target);
      await unlink(localPath);
    }
    return { size: (await stat(target)).size };
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<StoredObject> {
    const target = this.path(key);
    const folder = dirname(target);
    if (!this.made.has(folder)) {
      await mkdir(folder, { recursive: true });
      if (this.made.size > 10_000) this.made.clear();
      this.made.add(folder);
    }
    // Written beside the target and renamed over it: a reader never meets half a file.
    const partial = `${target}.${randomUUID()}.part`;
    try {
      await writeFile(partial, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // The folder went away since it was made (a course's files deleted): make it again.
      this.made.delete(folder);
      await mkdir(folder, { recursive: true });
      await writeFile(partial, bytes);
    }
    await rename(partial, target);
    return { size: bytes.length };
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      return { size: (await stat(this.path(key))).size };
    } catch {
      return null;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    return createReadStream(this.path(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Keys never escape the root, whatever they contain. */
  private path(key: string): string {
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep)) throw new Error(`storage key escapes the storage root: ${key}`);
    return full;
  }
}
