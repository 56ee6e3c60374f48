import { Injectable, Logger, NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuthUser } from '../common/auth-user';
import { openUpload, uploadFailure } from '../common/multipart';
import { Transactions } from '../database/transactions';
import { StorageDriver } from '../storage/storage';
import { HandbookRepository } from './handbook.repository';
import type { AttachmentKind, RecordAttachment } from './record-attachment.entity';
import { attachmentView, AttachmentView, RecordsService } from './records.service';

/** A phone photo or a scanned sheet; far past any real one, and it is read whole into the printed handbook. */
export const ATTACHMENT_LIMIT_BYTES = 20 * 1024 * 1024;

/** What a record may carry, by the type its bytes show: the extension it is stored under. */
const ACCEPTED: Record<string, { extension: string; image: boolean }> = {
  'image/jpeg': { extension: 'jpg', image: true },
  'image/png': { extension: 'png', image: true },
  'image/heic': { extension: 'heic', image: true },
  'image/heif': { extension: 'heic', image: true },
  'application/pdf': { extension: 'pdf', image: false },
};

/** Photos, scanned sign-in sheets and PDFs of a record: checked by their bytes, stored like videos, read by the record's readers. */
@Injectable()
export class RecordAttachmentsService {
  private readonly logger = new Logger(RecordAttachmentsService.name);

  constructor(
    private readonly records: RecordsService,
    private readonly handbook: HandbookRepository,
    private readonly transactions: Transactions,
    private readonly storage: StorageDriver,
  ) {}

  /** Streams the upload to a temporary file, checks its bytes, stores it; a refused upload leaves nothing behind. */
  async upload(recordId: string, request: FastifyRequest, kind: AttachmentKind | undefined, actor: AuthUser): Promise<AttachmentView> {
    await this.records.keepable(recordId, actor);
    // Refused before the bytes are read: an accepted or submitted record takes no new files.
    await this.transactions.run((manager) => this.records.lockEditable(manager, recordId));
    const part = await openUpload(request, 'file', ATTACHMENT_LIMIT_BYTES);
    const temp = join(tmpdir(), `bst-record-${randomUUID()}`);
    try {
      try {
        await pipeline(part.file, createWriteStream(temp));
      } catch (error) {
        throw uploadFailure(error, ATTACHMENT_LIMIT_BYTES);
      }
      if (part.file.truncated) throw new PayloadTooLargeException({ message: '附件不能超过 20 MB', code: 'FILE_TOO_LARGE' });
      const type = await fileTypeFromFile(temp);
      const accepted = type ? ACCEPTED[type.mime] : undefined;
      if (!type || !accepted) {
        throw new UnsupportedMediaTypeException({ message: '只接受照片或 PDF 文件：该文件的内容既不是照片，也不是 PDF', code: 'ATTACHMENT_TYPE_NOT_ALLOWED' });
      }
      const mimeType = type.mime === 'image/heif' ? 'image/heic' : type.mime;
      const key = `records/${recordId}/${randomUUID()}.${accepted.extension}`;
      const { size } = await this.storage.putFile(key, temp, mimeType);
      try {
        const saved = await this.transactions.run(async (manager) => {
          await this.records.lockEditable(manager, recordId);
          return this.handbook.insertAttachment(manager, {
            recordId,
            kind: kind ?? (accepted.image ? 'photo' : 'document'),
            mimeType,
            fileName: (part.filename || `附件.${accepted.extension}`).slice(0, 200),
            size,
            storageKey: key,
            uploadedBy: actor.id,
          });
        });
        return attachmentView(saved);
      } catch (error) {
        // The record was submitted meanwhile: the stored bytes belong to nothing.
        await this.storage.delete(key).catch(() => undefined);
        throw error;
      }
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The bytes of an attachment, for whoever may read its record. */
  async download(recordId: string, attachmentId: string, actor: AuthUser): Promise<{ attachment: RecordAttachment; body: Readable }> {
    await this.records.readable(recordId, actor);
    const attachment = await this.attachmentOf(recordId, attachmentId);
    return { attachment, body: await this.storage.read(attachment.storageKey) };
  }

  /** Removes an attachment of a draft or returned record. */
  async delete(recordId: string, attachmentId: string, actor: AuthUser): Promise<void> {
    await this.records.keepable(recordId, actor);
    const attachment = await this.attachmentOf(recordId, attachmentId);
    await this.transactions.run(async (manager) => {
      await this.records.lockEditable(manager, recordId);
      await this.handbook.deleteAttachment(manager, attachment.id);
    });
    await this.storage.delete(attachment.storageKey).catch((error: Error) => this.logger.warn(`could not delete ${attachment.storageKey}: ${error.message}`));
  }

  /** The bytes of each of these attachments (the printed handbook's photos). */
  async bytesOf(attachment: RecordAttachment): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(attachment.storageKey)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private async attachmentOf(recordId: string, attachmentId: string): Promise<RecordAttachment> {
    const attachment = await this.handbook.findAttachment(attachmentId);
    if (!attachment || attachment.recordId !== recordId) throw new NotFoundException({ message: '附件不存在', code: 'RECORD_ATTACHMENT_NOT_FOUND' });
    return attachment;
  }
}
