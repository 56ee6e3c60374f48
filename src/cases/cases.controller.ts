import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PaginationQuery } from '../common/pagination';
import { CaseCommentDto, CreateCaseDto, FeatureCaseDto, HideCaseDto, ListCasesQuery, LockCaseDto } from './dto/case.dto';
import { CaseCommentPageResponse, CaseCommentResponse, CasePageResponse, CaseResponse, CaseUsefulResponse } from './dto/case.response';
import { CasesService } from './cases.service';

/** 经验交流: cases shared by branches, recommended by units, featured by the department. */
@ApiTags('cases')
@Controller('cases')
@Authenticated()
export class CasesController {
  constructor(private readonly cases: CasesService) {}

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
}
