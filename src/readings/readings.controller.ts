import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ListReflectionsQuery, ReviewReflectionDto, SubmitReflectionDto } from './dto/reflection.dto';
import { ReadingAttachmentsService } from './reading-attachments.service';
import { ReflectionsService } from './reflections.service';
import { ReviewInboxQuery } from './dto/review-inbox.dto';
import { ReviewInboxService } from './review-inbox.service';
import { AttachmentResponse, ReadingResponse, ReflectionDetailResponse, ReflectionPageResponse, ReflectionResponse, ReviewCompareResponse, ReviewCountsResponse, ReviewPageResponse, SimilarOutsideScopeResponse, SimilarReadingResponse, SimilarReflectionResponse } from './dto/reading.response';

@ApiTags('readings')
@Controller('activities/:id')
export class ReadingsController {
  constructor(
    private readonly reflections: ReflectionsService,
    private readonly attachments: ReadingAttachmentsService,
  ) {}

  /** The reading's Markdown, its sanitized HTML, the reflection rules and (for a learner) their reflection. */
  @Get('reading')
  @Authenticated()
  @ApiOkResponse({ type: ReadingResponse })
  reading(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.reflections.reading(id, actor);
  }

  /** Draft or submit; 400 says how many characters are missing. A new submission replaces a returned one. */
  @Post('reflections')
  @Authenticated('secretary')
  @ApiCreatedResponse({ type: ReflectionResponse })
  submit(@Param('id', IdPipe) id: string, @Body() dto: SubmitReflectionDto, @CurrentUser() actor: AuthUser) {
    return this.reflections.submit(id, actor, dto);
  }

  /** Instructors and admins: submitted reflections with their copy check, paged; a learner: their own. */
  @Get('reflections')
  @Authenticated()
  @ApiOkResponse({ type: ReflectionPageResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: ListReflectionsQuery, @CurrentUser() actor: AuthUser) {
    return this.reflections.list(id, actor, query);
  }

  /** PDF materials of the reading (multipart field `file`; checked by its bytes). */
  @Post('attachments')
  @Authenticated('instructor', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: AttachmentResponse })
  uploadAttachment(@Param('id', IdPipe) id: string, @Req() request: FastifyRequest, @CurrentUser() actor: AuthUser) {
    return this.attachments.upload(id, request, actor);
  }

  @Get('attachments')
  @Authenticated()
  @ApiOkResponse({ type: [AttachmentResponse] })
  listAttachments(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.attachments.list(id, actor);
  }

  /** 优秀心得 whose authors agreed to share them. */
  @Get('reflections/excellent')
  @Authenticated()
  @ApiOkResponse({ type: [ReflectionResponse] })
  showcase(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.reflections.showcase(id, actor);
  }
}

@ApiTags('readings')
@Controller('reflections')
export class ReflectionsController {
  constructor(private readonly reflections: ReflectionsService) {}

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ReflectionDetailResponse })
  detail(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.reflections.detail(id, actor);
  }

  /** Approve (optionally 优秀) or return with feedback. */
  @Post(':id/review')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ReflectionResponse })
  review(@Param('id', IdPipe) id: string, @Body() dto: ReviewReflectionDto, @CurrentUser() actor: AuthUser) {
    return this.reflections.review(id, actor, dto);
  }
}

@ApiTags('readings')
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: ReadingAttachmentsService) {}

  @Get(':id')
  @Authenticated()
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { attachment, body } = await this.attachments.download(id, actor);
    void reply
      .header('content-type', 'application/pdf')
      .header('content-length', String(attachment.sizeBytes))
      .header('content-disposition', `attachment; filename="attachment-${attachment.id}.pdf"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
      .send(body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated('instructor', 'admin')
  @ApiNoContentResponse()
  delete(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.attachments.delete(id, actor);
  }
}

/** The review inbox across courses: what the caller reviews, by status, with the copy check's match named. */
@ApiTags('readings')
@Controller('reviews/reflections')
export class ReviewInboxController {
  constructor(private readonly inbox: ReviewInboxService) {}

  @Get()
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ReviewPageResponse })
  list(@Query() query: ReviewInboxQuery, @CurrentUser() actor: AuthUser) {
    return this.inbox.list(actor, query);
  }

  /** `{waiting, resubmitted, returned}` for the navigation badge. */
  @Get('counts')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ReviewCountsResponse })
  counts(@CurrentUser() actor: AuthUser) {
    return this.inbox.counts(actor);
  }

  /** The reflection beside the classmate's reflection (or the reading) it resembles. */
  @Get(':id/compare')
  @Authenticated('instructor', 'admin')
  @ApiExtraModels(SimilarReadingResponse, SimilarReflectionResponse, SimilarOutsideScopeResponse)
  @ApiOkResponse({ type: ReviewCompareResponse })
  compare(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.inbox.compare(id, actor);
  }
}
