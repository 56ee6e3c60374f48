import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  buffer: Buffer;
}

/**
 * Reads the one file of a small multipart upload (rosters, question banks) into memory.
 * Large media never goes through here: it is streamed to storage instead.
 */
export async function readSmallUpload(request: FastifyRequest, field: string, maxBytes: number): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw new BadRequestException({ message: '请通过文件上传提交文件', code: 'MULTIPART_REQUIRED' });
  }
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw new BadRequestException({ message: '请选择要上传的文件', code: 'FILE_REQUIRED' });
  if (part.fieldname !== field) {
    part.file.resume();
    throw new BadRequestException({ message: '请选择要上传的文件', code: 'FILE_REQUIRED' });
  }
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new PayloadTooLargeException({ message: `文件不能超过 ${Math.floor(maxBytes / 1024 / 1024)} MB`, code: 'FILE_TOO_LARGE' });
    }
    throw error;
  }
  if (buffer.length === 0) throw new BadRequestException({ message: '上传的文件是空的', code: 'FILE_EMPTY' });
  return { filename: part.filename, mimetype: part.mimetype, buffer };
}
