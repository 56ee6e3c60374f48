import { Body, Controller, Delete, Get, HttpCode, Injectable, NotFoundException, Param, Patch, PipeTransform, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { AttachmentQuery, CorrectRecordDto, CreateRecordDto, HandbookQuery, ListRecordsQuery, ReviewQueueQuery, ReviewRecordDto, UpdateRecordDto } from './dto/record.dto';
import { RecordAttachmentResponse, RecordPageResponse, RecordResponse } from './dto/record.response';
import { HandbookExportService } from './handbook-export.service';
import { RecordAttachmentsService } from './record-attachments.service';
import { RecordsService } from './records.service';

/** A year in a path (`/handbook/2026`); anything else names no handbook (404, never a 500). */
@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(year >= 2000 && year <= 2100)) throw new NotFoundException({ message: '没有这一年度的支部工作', code: 'YEAR_NOT_FOUND' });
    return year;
  }
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A branch's handbook (一册): its records and the printed year. Who may: see BranchScope (404 outside, 403 for the wrong role). */
@ApiTags('handbook')
@Controller('branches/:id')
export class BranchHandbookController {
  constructor(
    private readonly records: RecordsService,
    private readonly exports: HandbookExportService,
  ) {}

  /** A new record (draft) by the branch's secretary; attendance from the branch's member list. */
  @Post('records')
  @Authenticated('secretary', 'admin')
  @ApiCreatedResponse({ type: RecordResponse })
  create(@Param('id', IdPipe) id: string, @Body() dto: CreateRecordDto, @CurrentUser() actor: AuthUser) {
    return this.records.create(id, dto, actor);
  }

  /** The branch's records, newest held first: `?year=&kind=&status=`. */
  @Get('records')
  @Authenticated('secretary', 'admin')
  @ApiOkResponse({ type: RecordPageResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: ListRecordsQuery, @CurrentUser() actor: AuthUser) {
    return this.records.list(id, query, actor);
  }

  /** The printed handbook (PDF: cover, plan, each record with its photos and attendance) or the ledger (XLSX). */
  @Get('handbook/:year')
  @Authenticated('secretary', 'admin')
  @ApiProduces('application/pdf', XLSX)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async handbook(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @Query() query: HandbookQuery, @CurrentUser() actor: AuthUser): Promise<StreamableFile> {
    const format = query.format ?? 'pdf';
    const { bytes, fileName } = await this.exports.export(id, year, format, actor);
    const disposition = `attachment; filename="handbook-${id}-${year}.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
    return new StreamableFile(bytes, { type: format === 'pdf' ? 'application/pdf' : XLSX, disposition, length: bytes.length });
  }
}

@ApiTags('handbook')
@Controller('records')
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly attachments: RecordAttachmentsService,
  ) {}

  /** Records across branches (the review queue): `?status=` (default submitted) `&unitId=&year=&kind=`; a unit admin sees their unit's. */
  @Get()
  @Authenticated('admin')
  @ApiOkResponse({ type: RecordPageResponse })
  queue(@Query() query: ReviewQueueQuery, @CurrentUser() actor: AuthUser) {
    return this.records.queue(query, actor);
  }

  @Get(':id')
  @Authenticated('secretary', 'admin')
  @ApiOkResponse({ type: RecordResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.records.get(id, actor);
  }

  /** Changes a draft or returned record (409 once submitted or accepted). */
  @Patch(':id')
  @Authenticated('secretary', 'admin')
  @ApiOkResponse({ type: RecordResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateRecordDto, @CurrentUser() actor: AuthUser) {
    return this.records.update(id, dto, actor);
  }

  /** Sends the record for review; 400 RECORD_INCOMPLETE names what the norm still asks for. */
  @Post(':id/submit')
  @HttpCode(200)
  @Authenticated('secretary', 'admin')
  @ApiOkResponse({ type: RecordResponse })
  submit(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.records.submit(id, actor);
  }

  /** Accepts (locks) or returns (with a comment) a submitted record; a record reviewed a moment ago answers 409 RECORD_ALREADY_REVIEWED. */
  @Post(':id/review')
  @HttpCode(200)
  @Authenticated('secretary', 'admin')
  @ApiOkResponse({ type: RecordResponse })
  review(@Param('id', IdPipe) id: string, @Body() dto: ReviewRecordDto, @CurrentUser() actor: AuthUser) {
    return this.records.review(id, dto, actor);
  }

  /** A correction of an accepted record, kept in its history with who, when and why. */
  @Post(':id/corrections')
  @Authenticated('secretary', 'admin')
  @ApiCreatedResponse({ type: RecordResponse })
  correct(@Param('id', IdPipe) id: string, @Body() dto: CorrectRecordDto, @CurrentUser() actor: AuthUser) {
    return this.records.correct(id, dto, actor);
  }

  /** Multipart `file`: a JPEG, PNG or HEIC photo or a PDF, checked by its bytes (`?kind=photo|signInSheet|document`). */
  @Post(':id/attachments')
  @Authenticated('secretary', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: RecordAttachmentResponse })
  upload(@Param('id', IdPipe) id: string, @Query() query: AttachmentQuery, @Req() request: FastifyRequest, @CurrentUser() actor: AuthUser) {
    return this.attachments.upload(id, request, query.kind, actor);
  }

  @Get(':id/attachments/:attachmentId')
  @Authenticated('secretary', 'admin')
  @ApiProduces('image/jpeg', 'image/png', 'image/heic', 'application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { attachment, body } = await this.attachments.download(id, attachmentId, actor);
    void reply
      .header('content-type', attachment.mimeType)
      .header('content-length', String(attachment.size))
      .header('cache-control', 'private, max-age=3600')
      .header('content-disposition', `inline; filename="attachment-${attachment.id}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
      .send(body);
  }

  @Delete(':id/attachments/:attachmentId')
  @HttpCode(204)
  @Authenticated('secretary', 'admin')
  @ApiNoContentResponse()
  async deleteAttachment(@Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @CurrentUser() actor: AuthUser) {
    await this.attachments.delete(id, attachmentId, actor);
  }
}
