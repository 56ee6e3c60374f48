import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { AttendanceListQuery, CheckInDto, MarkAttendanceDto, MarkManyDto, OpenCheckInDto } from './dto/attendance.dto';
import { SessionsService } from './sessions.service';
import { AttendanceMarkedResponse, AttendanceRecordResponse, AttendanceRowResponse, CheckInCodeResponse, CheckInOpenResponse, CheckInResponse, CheckInStatusResponse } from './dto/session.response';

@ApiTags('sessions')
@Controller('activities/:id')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** Opens or closes check-in for the session (the course's instructors and admins). */
  @Post('checkin/open')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CheckInOpenResponse })
  open(@Param('id', IdPipe) id: string, @Body() dto: OpenCheckInDto, @CurrentUser() actor: AuthUser) {
    return this.sessions.open(id, actor, dto.open);
  }

  /** Whether check-in is open, and how many are present so far. */
  @Get('checkin')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CheckInStatusResponse })
  status(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.sessions.status(id, actor);
  }

  /** The code to project: it changes every 15 s; also as a QR image (data URL). */
  @Get('checkin/code')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CheckInCodeResponse })
  code(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.sessions.currentCode(id, actor);
  }

  /** API.md: opens check-in when needed and answers 201 `{code, validUntil}` (with the QR and link). */
  @Post('check-in-code')
  @Authenticated('instructor', 'admin')
  @ApiCreatedResponse({ type: CheckInCodeResponse })
  issueCode(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.sessions.issueCode(id, actor);
  }

  /** A learner checks in with the current (or previous) code; checking in twice changes nothing. */
  @Post(['checkin', 'check-in'])
  @HttpCode(200)
  @Authenticated('secretary')
  @ApiOkResponse({ type: CheckInResponse })
  checkIn(@Param('id', IdPipe) id: string, @Body() dto: CheckInDto, @CurrentUser() actor: AuthUser) {
    return this.sessions.checkIn(id, actor, dto.code);
  }

  /** API.md's bulk marking: `{userIds, present}`; all or nothing. */
  @Put('attendance')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: AttendanceMarkedResponse })
  markMany(@Param('id', IdPipe) id: string, @Body() dto: MarkManyDto, @CurrentUser() actor: AuthUser) {
    return this.sessions.markMany(id, dto.userIds, dto.present, actor);
  }

  @Put('attendance/:userId')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: AttendanceRecordResponse })
  mark(@Param('id', IdPipe) id: string, @Param('userId', IdPipe) userId: string, @Body() dto: MarkAttendanceDto, @CurrentUser() actor: AuthUser) {
    return this.sessions.mark(id, userId, actor, dto.status, dto.reason);
  }

  /** Every enrolled learner with their attendance; `?format=csv` or `?format=xlsx` for Excel. */
  @Get('attendance')
  @Authenticated('instructor', 'admin')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiExtraModels(AttendanceRowResponse)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(AttendanceRowResponse) } } },
      'text/csv': { schema: { type: 'string', format: 'binary' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async list(@Param('id', IdPipe) id: string, @Query() query: AttendanceListQuery, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    if (query.format === undefined || query.format === 'json') return this.sessions.list(id, actor);
    const name = (ext: string) => `attachment; filename="attendance-${id}.${ext}"; filename*=UTF-8''${encodeURIComponent('考勤')}-${id}.${ext}`;
    if (query.format === 'xlsx') {
      void reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', name('xlsx'));
      return this.sessions.listXlsx(id, actor);
    }
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', name('csv'));
    return this.sessions.listCsv(id, actor);
  }
}
