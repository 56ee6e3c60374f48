import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { readSmallUpload } from '../common/multipart';
import { BranchMembersService } from './branch-members.service';
import { CreateMemberDto, ImportMembersQuery, ListMembersQuery, UpdateMemberDto } from './dto/branch-members.dto';
import { MemberImportResponse, MemberListResponse, MemberResponse } from './dto/branch-members.response';

const MAX_MEMBER_FILE_BYTES = 2 * 1024 * 1024;

/** A branch's member list: its secretary keeps it; its unit's admins and the department read it. */
@ApiTags('branch work')
@Controller('branches/:id/members')
@Authenticated('secretary', 'admin')
export class BranchMembersController {
  constructor(private readonly members: BranchMembersService) {}

  @Get()
  @ApiOkResponse({ type: MemberListResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: ListMembersQuery, @CurrentUser() actor: AuthUser) {
    return this.members.list(id, actor, query.includeLeft === 'true');
  }

  @Post()
  @ApiCreatedResponse({ type: MemberResponse })
  create(@Param('id', IdPipe) id: string, @Body() dto: CreateMemberDto, @CurrentUser() actor: AuthUser) {
    return this.members.create(id, dto, actor);
  }

  /** 姓名 (required), 类别 (正式/预备), 入党时间 from CSV (UTF-8 or GBK) or XLSX; any bad row and nothing is written. */
  @Post('import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: MemberImportResponse })
  async import(@Param('id', IdPipe) id: string, @Req() request: FastifyRequest, @Query() query: ImportMembersQuery, @CurrentUser() actor: AuthUser) {
    const file = await readSmallUpload(request, 'file', MAX_MEMBER_FILE_BYTES);
    return this.members.import(id, file.buffer, actor, query.dryRun === 'true');
  }

  @Patch(':memberId')
  @ApiOkResponse({ type: MemberResponse })
  update(@Param('id', IdPipe) id: string, @Param('memberId', IdPipe) memberId: string, @Body() dto: UpdateMemberDto, @CurrentUser() actor: AuthUser) {
    return this.members.update(id, memberId, dto, actor);
  }

  /** The member leaves the branch: the row stays (records name them), marked with the day they left. */
  @Delete(':memberId')
  @ApiOkResponse({ type: MemberResponse })
  leave(@Param('id', IdPipe) id: string, @Param('memberId', IdPipe) memberId: string, @CurrentUser() actor: AuthUser) {
    return this.members.leave(id, memberId, actor);
  }
}
