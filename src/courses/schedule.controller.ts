import { Controller, Delete, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser, Public } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ScheduleService } from './schedule.service';
import { CalendarFeedResponse, ScheduleResponse } from './dto/course.response';

const CALENDAR = 'text/calendar; charset=utf-8';

@ApiTags('courses')
@Controller('courses/:id')
@Authenticated()
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  /** 学习安排表: the plan by section and by month, with the caller's state of each item. */
  @Get('schedule')
  @ApiOkResponse({ type: ScheduleResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.schedule.schedule(id, actor);
  }

  @Get('schedule.ics')
  @ApiProduces(CALENDAR)
  @ApiOkResponse({ description: 'the plan as an iCalendar file', schema: { type: 'string' } })
  async ics(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.schedule.ics(id, actor);
    void reply.header('content-type', CALENDAR).header('content-disposition', `attachment; filename="course-${id}.ics"`);
    return body;
  }
}

@ApiTags('me')
@Controller()
export class CalendarFeedController {
  constructor(private readonly schedule: ScheduleService) {}

  /** A secret URL a phone calendar can subscribe to without signing in; creating a new one revokes the old. */
  @Post('me/calendar-feed')
  @HttpCode(201)
  @Authenticated()
  @ApiCreatedResponse({ type: CalendarFeedResponse })
  create(@CurrentUser() actor: AuthUser) {
    return this.schedule.createFeed(actor.id);
  }

  @Delete('me/calendar-feed')
  @HttpCode(204)
  @Authenticated()
  @ApiNoContentResponse()
  revoke(@CurrentUser() actor: AuthUser) {
    return this.schedule.revokeFeed(actor.id);
  }

  /** Public by design: the unguessable token in the path is the credential. */
  @Get('calendar/:token')
  @Public()
  @ApiProduces(CALENDAR)
  @Header('cache-control', 'private, max-age=300')
  @ApiOkResponse({ description: 'the caller’s courses as an iCalendar feed', schema: { type: 'string' } })
  async feed(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.schedule.feed(token.replace(/\.ics$/, ''));
    void reply.header('content-type', CALENDAR);
    return body;
  }
}
