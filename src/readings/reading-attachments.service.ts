import { BadRequestException, Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AuthUser } from '../common/auth-user';
import { readSmallUpload } from '../common/multipart';
import { CourseAccessService } from '../courses/course-access.service';
import { assertOpen } from '../courses/course-open';
import { StorageDriver } from '../storage/storage';
import { ReadingAttachment } from './reading-attachment.entity';
import { ReadingAttachmentsRepository } from './reading-attachments.repository';

/** Reading materials are documents, not media: 50 MiB is generous for a PDF. */
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export interface AttachmentView {
  id: string;
  activityId: string;
  fileName: string;
  sizeBytes: number;
  createdAt: Date;
}

/** PDF attachments of readings: checked by their bytes, kept in storage, downloaded by whoever sees the reading. */
@Injectable()
export class ReadingAttachmentsService {
  constructor(
    private readonly attachments: ReadingAttachmentsRepository,
    private readonly access: CourseAccessService,
    private readonly storage: StorageDriver,
  ) {}

  async upload(activityId: string, request: FastifyRequest, actor: AuthUser): Promise<AttachmentView> {
    const { course, activity } = await this.access.activityEdit(activityId, actor);
    assertOpen(course);
    if (activity.type !== 'reading') throw new BadRequestException({ message: '该学习任务不是阅读任务', code: 'NOT_A_READING' });
    const file = await readSmallUpload(request, 'file', MAX_ATTACHMENT_BYTES);
    const type = await fileTypeFromBuffer(file.buffer);
    if (type?.mime !== 'application/pdf') {
      throw new UnsupportedMediaTypeException({ message: '只接受 PDF 文件', code: 'NOT_A_PDF' });
    }
    const temp = join(tmpdir(), `bst-attachment-${randomUUID()}`);
    const key = `readings/${activityId}/${randomUUID()}.pdf`;
    let size: number;
    try {
      await writeFile(temp, file.buffer);
      ({ size } = await this.storage.putFile(key, temp, 'application/pdf'));
    } finally {
      await rm(temp, { force: true });
    }
    const fileName = (file.filename || 'attachment.pdf').slice(0, 255);
    try {
      const saved = await this.attachments.create({ activityId, storageKey: key, fileName, sizeBytes: size, uploadedBy: actor.id });
      return toView(saved);
    } catch (error) {
      // No row, no file: a stored file nobody can reach would only take up space.
      await this.storage.delete(key).catch(() => undefined);
      throw error;
    }
  }

  async list(activityId: string, actor: AuthUser): Promise<AttachmentView[]> {
    await this.access.activityView(activityId, actor);
    const rows = await this.attachments.findByActivity(activityId);
    return rows.map(toView);
  }

  async download(id: string, actor: AuthUser): Promise<{ attachment: AttachmentView; body: Readable }> {
    const attachment = await this.visible(id, actor);
    return { attachment: toView(attachment), body: await this.storage.read(attachment.storageKey) };
  }

  async delete(id: string, actor: AuthUser): Promise<void> {
    const attachment = await this.visible(id, actor);
    const { course } = await this.access.activityEdit(attachment.activityId, actor);
    assertOpen(course);
    await this.attachments.delete(id);
    await this.storage.delete(attachment.storageKey);
  }

  private async visible(id: string, actor: AuthUser): Promise<ReadingAttachment> {
    const attachment = await this.attachments.findById(id);
    const notFound = new NotFoundException({ message: '附件不存在', code: 'ATTACHMENT_NOT_FOUND' });
    if (!attachment) throw notFound;
    try {
      await this.access.activityView(attachment.activityId, actor);
    } catch (error) {
      if (error instanceof NotFoundException) throw notFound;
      throw error;
    }
    return attachment;
  }
}

function toView(a: ReadingAttachment): AttachmentView {
  return { id: a.id, activityId: a.activityId, fileName: a.fileName, sizeBytes: a.sizeBytes, createdAt: a.createdAt };
}
