import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  buffer: Buffer;
}

/**
 * Opens the one file part of a multipart upload (field `field`). Every upload route goes through here, so a
 * body that is not multipart, has no file, or breaks off before the part's headers gets the same 4xx.
 */
export async function openUpload(request: FastifyRequest, field: string, maxBytes: number): Promise<MultipartFile> {
  if (!request.isMultipart()) {
    throw new BadRequestException({ message: '请通过文件上传提交文件', code: 'MULTIPART_REQUIRED' });
  }
  let part: MultipartFile | undefined;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch (error) {
    throw uploadFailure(error, maxBytes);
  }
  if (!part) throw new BadRequestException({ message: `请在 "${field}" 字段中上传文件`, code: 'FILE_REQUIRED' });
  if (part.fieldname !== field) {
    part.file.resume();
    throw new BadRequestException({ message: `文件须放在 "${field}" 字段中上传`, code: 'FILE_REQUIRED' });
  }
  return part;
}

/**
 * Reads the one file of a small multipart upload (rosters, reading materials) into memory.
 * Large media never goes through here: it is streamed to storage instead.
 */
export async function readSmallUpload(request: FastifyRequest, field: string, maxBytes: number): Promise<UploadedFile> {
  const part = await openUpload(request, field, maxBytes);
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (error) {
    throw uploadFailure(error, maxBytes);
  }
  if (buffer.length === 0) throw new BadRequestException({ message: '上传的文件是空的', code: 'FILE_EMPTY' });
  return { filename: part.filename, mimetype: part.mimetype, buffer };
}

/**
 * What the client is told when reading an upload failed. A body that ends mid-part (a cut connection, a
 * client that gave up, a malformed form) is the client's: 400 UPLOAD_INCOMPLETE, where it once was a 500.
 * Errors of the server's own I/O (disk full while writing the temporary file) carry a `syscall` and are
 * passed on as they are.
 */
export function uploadFailure(error: unknown, maxBytes: number): unknown {
  if (error instanceof HttpException) return error;
  const { code, syscall } = (error ?? {}) as { code?: string; syscall?: string };
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLargeException({ message: `文件超过 ${formatSize(maxBytes)}，无法上传`, code: 'FILE_TOO_LARGE' });
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new PayloadTooLargeException({ message: '一次只能上传一个文件', code: 'TOO_MANY_PARTS' });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new BadRequestException({ message: '请通过文件上传提交文件', code: 'MULTIPART_REQUIRED' });
  }
  if (syscall) return error;
  return new BadRequestException({ message: '上传未完成：收到的文件内容不完整，请重新上传', code: 'UPLOAD_INCOMPLETE' });
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Math.floor(bytes / 1024 ** 3)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.floor(bytes / 1024 ** 2)} MiB`;
  return `${Math.floor(bytes / 1024)} KiB`;
}
