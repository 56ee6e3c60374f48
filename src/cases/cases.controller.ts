import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PaginationQuery } from '../common/pagination';
import { CaseCommentDto, CreateCaseDto, FeatureCaseDto, HideCaseDto, ListCasesQuery, LockCaseDto } from './dto/case.dto';
import { CaseCommentPageResponse, CaseCommentResponse, CaseFileResponse, CasePageResponse, CaseResponse, CaseUsefulResponse } from './dto/case.response';
import { CaseFilesService } from './case-files.service';
import { CasesService } from './cases.service';

/** 经验交流: cases shared by branches, recommended by units, featured by the department. */
@ApiTags('cases')
@Controller('cases')
@Authenticated()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly files: CaseFilesService,
  ) {}

  @Post()
  @Authenticated('secretary')
  @ApiCreatedResponse({ type: CaseResponse })
  create(@Body() dto: CreateCaseDto, @CurrentUser() actor: AuthUser) {
    return this.cases.create(dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: CasePageResponse })
  list(@Query() query: ListCasesQuery, @CurrentUser() actor: AuthUser) {
    return this.cases.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.cases.get(id, actor);
  }

  @Post(':id/recommend')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CaseResponse })
  recommend(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.cases.recommend(id, actor);
  }

  @Post(':id/feature')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CaseResponse })
  feature(@Param('id', IdPipe) id: string, @Body() dto: FeatureCaseDto, @CurrentUser() actor: AuthUser) {
    return this.cases.feature(id, dto.featured, actor);
  }

  @Post(':id/hide')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CaseResponse })
  hide(@Param('id', IdPipe) id: string, @Body() dto: HideCaseDto, @CurrentUser() actor: AuthUser) {
    return this.cases.hide(id, dto.hidden ?? true, actor);
  }

  @Post(':id/lock')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: CaseResponse })
  lock(@Param('id', IdPipe) id: string, @Body() dto: LockCaseDto, @CurrentUser() actor: AuthUser) {
    return this.cases.lock(id, dto.locked ?? true, actor);
  }

  @Post(':id/comments')
  @ApiCreatedResponse({ type: CaseCommentResponse })
  comment(@Param('id', IdPipe) id: string, @Body() dto: CaseCommentDto, @CurrentUser() actor: AuthUser) {
    return this.cases.comment(id, dto.body, actor);
  }

  @Get(':id/comments')
  @ApiOkResponse({ type: CaseCommentPageResponse })
  comments(@Param('id', IdPipe) id: string, @Query() query: PaginationQuery, @CurrentUser() actor: AuthUser) {
    return this.cases.comments(id, actor, query);
  }

  @Post(':id/useful')
  @ApiCreatedResponse({ type: CaseUsefulResponse })
  useful(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.cases.markUseful(id, actor);
  }

  /** Multipart `file`, by the case's author: a JPEG, PNG, WebP or HEIC photo, or a PDF, Word, PowerPoint or Excel file, checked by its bytes, ≤ 20 MB. */
  @Post(':id/files')
  @Authenticated('secretary')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: CaseFileResponse })
  upload(@Param('id', IdPipe) id: string, @Req() request: FastifyRequest, @CurrentUser() actor: AuthUser) {
    return this.files.upload(id, request, actor);
  }

  /** A photo is sent to be shown, a document to be saved. */
  @Get(':id/files/:fileId')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf', 'application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(@Param('id', IdPipe) id: string, @Param('fileId', IdPipe) fileId: string, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    const { file, body } = await this.files.download(id, fileId, actor);
    const disposition = file.kind === 'photo' ? 'inline' : 'attachment';
    void reply
      .header('content-type', file.mimeType)
      .header('content-length', String(file.size))
      .header('cache-control', 'private, max-age=3600')
      .header('content-disposition', `${disposition}; filename="case-file-${file.id}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(body);
  }

  @Delete(':id/files/:fileId')
  @HttpCode(204)
  @Authenticated('secretary')
  @ApiNoContentResponse()
  async deleteFile(@Param('id', IdPipe) id: string, @Param('fileId', IdPipe) fileId: string, @CurrentUser() actor: AuthUser) {
    await this.files.delete(id, fileId, actor);
  }
}
