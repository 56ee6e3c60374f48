import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { readSmallUpload } from '../common/multipart';
import { CreateUserDto, ImportRosterQuery, ListUsersQuery, RosterTemplateQuery, UpdateUserDto } from './dto/user.dto';
import { rosterTemplate } from './roster-file';
import { RosterImportService } from './roster-import.service';
import { UsersService } from './users.service';
import { CreatedUserResponse, PasswordResetResponse, RosterImportResponse, UserPageResponse, UserResponse } from './dto/user.response';

/** A roster of 20,000 people is about 2 MB as CSV; anything far larger is not a roster. */
const ROSTER_MAX_BYTES = 20 * 1024 * 1024;

@ApiTags('users')
@Controller('users')
@Authenticated('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly roster: RosterImportService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedUserResponse })
  create(@Body() dto: CreateUserDto, @CurrentUser() actor: AuthUser) {
    return this.users.create(dto, actor);
  }

  /**
   * Roster import (名册导入): CSV (UTF-8 or GBK) or XLSX with 工号/username, 姓名/name, 单位/unit, 支部/branch,
   * 邮箱/email, 手机/phone, 角色/role, 支部类型/branchKind. All or nothing: with any bad row nothing is written
   * and the answer (200, per API.md) has `applied: false` and every bad row in `errors`; `dryRun=true` previews.
   */
  @Post('import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiOkResponse({ type: RosterImportResponse })
  async import(@Req() request: FastifyRequest, @Query() query: ImportRosterQuery, @CurrentUser() actor: AuthUser) {
    const file = await readSmallUpload(request, 'file', ROSTER_MAX_BYTES);
    return this.roster.import(file.buffer, actor, query.dryRun === 'true');
  }

  /** An empty roster with the Chinese headers the import reads and one example row. */
  @Get('import/template')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async template(@Query() query: RosterTemplateQuery) {
    const format = query.format ?? 'xlsx';
    const disposition = `attachment; filename="roster-template.${format}"; filename*=UTF-8''${encodeURIComponent(`名册模板.${format}`)}`;
    return new StreamableFile(await rosterTemplate(format), {
      type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition,
    });
  }

  @Get()
  @ApiOkResponse({ type: UserPageResponse })
  list(@Query() query: ListUsersQuery, @CurrentUser() actor: AuthUser) {
    return this.users.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.users.get(id, actor);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateUserDto, @CurrentUser() actor: AuthUser) {
    return this.users.update(id, dto, actor);
  }

  /** Issues a one-time initial password to hand out; the user must replace it at first login. */
  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ type: PasswordResetResponse })
  resetPassword(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.users.resetPassword(id, actor);
  }
}
