import { Controller, Delete, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser, Public } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ScheduleService } from './schedule.service';

const CALENDAR = 'text/calendar; charset=utf-8';

@ApiTags('courses')
@Controller('courses/:id')
@Authenticated()
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  /** 学习安排表: the plan by section and by month, with the caller's state of each item. */
  @Get('schedule')
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.schedule.schedule(id, actor);
  }

  @Get('schedule.ics')
  @ApiProduces(CALENDAR)
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
  create(@CurrentUser() actor: AuthUser) {
    return this.schedule.createFeed(actor.id);
  }

  @Delete('me/calendar-feed')
  @HttpCode(204)
  @Authenticated()
  revoke(@CurrentUser() actor: AuthUser) {
    return this.schedule.revokeFeed(actor.id);
  }

  /** Public by design: the unguessable token in the path is the credential. */
  @Get('calendar/:token')
  @Public()
  @ApiProduces(CALENDAR)
  @Header('cache-control', 'private, max-age=300')
  async feed(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.schedule.feed(token.replace(/\.ics$/, ''));
    void reply.header('content-type', CALENDAR);
    return body;
  }
}
