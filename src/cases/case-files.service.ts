import { ConflictException, Injectable, Logger, NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromFile } from 'file-type';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { openUpload, uploadFailure } from '../common/multipart';
import { Transactions } from '../database/transactions';
import { StorageDriver } from '../storage/storage';
import type { CaseFile, CaseFileKind } from './case-file.entity';
import { CasesRepository } from './cases.repository';
import { caseFileView, CaseFileView, CasesService } from './cases.service';

/** A phone's photo or a meeting's slides; as for the handbook's attachments. */
export const CASE_FILE_LIMIT_BYTES = 20 * 1024 * 1024;
/** Photos and files on one case: enough for an activity's pictures and its materials. */
export const CASE_FILES_PER_CASE = 20;

/** What a case may carry, by the type its bytes show: the extension it is stored under and whether it is a photo. */
const ACCEPTED: Record<string, { extension: string; kind: CaseFileKind }> = {
  'image/jpeg': { extension: 'jpg', kind: 'photo' },
  'image/png': { extension: 'png', kind: 'photo' },
  'image/webp': { extension: 'webp', kind: 'photo' },
  'image/heic': { extension: 'heic', kind: 'photo' },
  'image/heif': { extension: 'heic', kind: 'photo' },
  'application/pdf': { extension: 'pdf', kind: 'document' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extension: 'docx', kind: 'document' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extension: 'pptx', kind: 'document' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx', kind: 'document' },
};

const FILE_NOT_FOUND = () => new NotFoundException({ message: '附件不存在', code: 'CASE_FILE_NOT_FOUND' });

/**
 * Photos and files of a case: its author adds them (checked by their bytes, stored through the storage driver
 * under `cases/<id>/…`, as the handbook stores a record's); whoever may read the case reads them, so a hidden
 * case's files are a 404 to everyone but its moderators.
 */
@Injectable()
export class CaseFilesService {
  private readonly logger = new Logger(CaseFilesService.name);

  constructor(
    private readonly cases: CasesService,
    private readonly repository: CasesRepository,
    private readonly transactions: Transactions,
    private readonly storage: StorageDriver,
  ) {}

  /** Streams the upload to a temporary file, checks its bytes, stores it; a refused upload leaves nothing behind. */
  async upload(caseId: string, request: FastifyRequest, actor: AuthUser): Promise<CaseFileView> {
    await this.cases.ownedBy(caseId, actor);
    // A full case is told so before its bytes are read.
    await this.transactions.run((manager) => this.assertRoom(manager, caseId));
    const part = await openUpload(request, 'file', CASE_FILE_LIMIT_BYTES);
    const temp = join(tmpdir(), `bst-case-${randomUUID()}`);
    try {
      try {
        await pipeline(part.file, createWriteStream(temp));
      } catch (error) {
        throw uploadFailure(error, CASE_FILE_LIMIT_BYTES);
      }
      if (part.file.truncated) throw new PayloadTooLargeException({ message: '附件不能超过 20 MB', code: 'FILE_TOO_LARGE' });
      const type = await fileTypeFromFile(temp);
      const accepted = type ? ACCEPTED[type.mime] : undefined;
      if (!type || !accepted) {
        throw new UnsupportedMediaTypeException({
          message: '只接受照片、PDF 文件，以及文字文档、演示文稿和 Excel 表格：该文件的内容不是其中任何一种',
          code: 'CASE_FILE_TYPE_NOT_ALLOWED',
        });
      }
      const mimeType = type.mime === 'image/heif' ? 'image/heic' : type.mime;
      const key = `cases/${caseId}/${randomUUID()}.${accepted.extension}`;
      const { size } = await this.storage.putFile(key, temp, mimeType);
      try {
        const saved = await this.transactions.run(async (manager) => {
          await this.assertRoom(manager, caseId);
          return this.repository.insertFile(manager, {
            caseId,
            kind: accepted.kind,
            mimeType,
            fileName: (part.filename || `附件.${accepted.extension}`).slice(0, 200),
            size,
            storageKey: key,
            uploadedBy: actor.id,
          });
        });
        return caseFileView(saved);
      } catch (error) {
        // Others filled the case meanwhile: the stored bytes belong to nothing.
        await this.storage.delete(key).catch(() => undefined);
        throw error;
      }
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The bytes of a photo or file, for whoever may read its case. */
  async download(caseId: string, fileId: string, actor: AuthUser): Promise<{ file: CaseFile; body: Readable }> {
    await this.cases.readable(caseId, actor);
    const file = await this.fileOf(caseId, fileId);
    return { file, body: await this.storage.read(file.storageKey) };
  }

  /** The author removes a photo or file; its bytes go after the row. */
  async delete(caseId: string, fileId: string, actor: AuthUser): Promise<void> {
    await this.cases.ownedBy(caseId, actor);
    const file = await this.fileOf(caseId, fileId);
    await this.repository.deleteFile(file.id);
    await this.storage.delete(file.storageKey).catch((error: Error) => this.logger.warn(`could not delete ${file.storageKey}: ${error.message}`));
  }

  /** Holds the case's row while counting, so two uploads at once cannot pass the limit together. */
  private async assertRoom(manager: EntityManager, caseId: string): Promise<void> {
    if (!(await this.repository.lockForFiles(manager, caseId))) throw new NotFoundException({ message: '案例不存在', code: 'CASE_NOT_FOUND' });
    if ((await this.repository.countFiles(manager, caseId)) >= CASE_FILES_PER_CASE) {
      throw new ConflictException({ message: `一个案例最多添加 ${CASE_FILES_PER_CASE} 张照片或附件`, code: 'CASE_FILES_FULL' });
    }
  }

  private async fileOf(caseId: string, fileId: string): Promise<CaseFile> {
    const file = await this.repository.findFile(fileId);
    if (!file || file.caseId !== caseId) throw FILE_NOT_FOUND();
    return file;
  }
}
