import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { AppConfig } from '../config/config';
import { ByteRange, StorageDriver, StoredObject } from './storage';

/** Any S3-compatible object store (AWS S3, MinIO, …): multipart uploads, ranged reads. Tested against s3rver. */
export class S3Storage extends StorageDriver {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: AppConfig['storage']['s3']) {
    super();
    this.bucket = config.bucket!;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId!, secretAccessKey: config.secretAccessKey! },
      // The SDK's default CRC32 checksum headers (since early 2025) are refused by several
      // S3-compatible stores (older MinIO releases among them), so they are sent only where S3 insists.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async putFile(key: string, localPath: string, contentType: string): Promise<StoredObject> {
    const { size } = await stat(localPath);
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: createReadStream(localPath), ContentType: contentType },
      partSize: 16 * 1024 * 1024,
      queueSize: 4,
    }).done();
    await unlink(localPath);
    return { size };
  }

  /** One PUT request (no multipart upload): generated documents are small. */
  async putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    return { size: bytes.length };
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: Number(head.ContentLength ?? 0) };
    } catch (error) {
      const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (failure.name === 'NotFound' || failure.$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
    );
    return object.Body as Readable;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
