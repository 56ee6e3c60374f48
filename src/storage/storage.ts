import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
}

/** A byte range, both ends inclusive, as HTTP Range uses them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where uploaded files live. Keys are opaque paths chosen by the caller (`videos/<uuid>.mp4`); nothing here
 * is ever served directly: the API streams from it after checking who may read.
 */
export abstract class StorageDriver {
  /** Stores a local file under `key` (moving or uploading it); the local file is gone afterwards. */
  abstract putFile(key: string, localPath: string, contentType: string): Promise<StoredObject>;
  /**
   * Stores bytes already in memory under `key` (a generated document: a certificate PDF), with no temporary
   * file on the way; a reader sees the whole object or none.
   */
  abstract putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject>;
  abstract stat(key: string): Promise<StoredObject | null>;
  abstract read(key: string, range?: ByteRange): Promise<Readable>;
  abstract delete(key: string): Promise<void>;
}
