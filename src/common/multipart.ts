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
    throw new BadRequestException({ message: `Send the file as multipart/form-data in the field "${field}"`, code: 'MULTIPART_REQUIRED' });
  }
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw new BadRequestException({ message: `The field "${field}" with a file is required`, code: 'FILE_REQUIRED' });
  if (part.fieldname !== field) {
    part.file.resume();
    throw new BadRequestException({ message: `The file must be sent in the field "${field}", not "${part.fieldname}"`, code: 'FILE_REQUIRED' });
  }
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new PayloadTooLargeException({ message: `The file is larger than ${Math.floor(maxBytes / 1024 / 1024)} MiB`, code: 'FILE_TOO_LARGE' });
    }
    throw error;
  }
  if (buffer.length === 0) throw new BadRequestException({ message: 'The uploaded file is empty', code: 'FILE_EMPTY' });
  return { filename: part.filename, mimetype: part.mimetype, buffer };
}
