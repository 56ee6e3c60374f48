import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PaginationQuery } from '../common/pagination';
import { NotificationsService } from './notifications.service';
import { NotificationPageResponse, NotificationResponse, NotificationsReadResponse } from './dto/notification.response';

export class ListNotificationsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

@ApiTags('me')
@Controller('me/notifications')
@Authenticated()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Newest first, with the unread count; `?unread=true` for unread only. */
  @Get()
  @ApiOkResponse({ type: NotificationPageResponse })
  list(@Query() query: ListNotificationsQuery, @CurrentUser() actor: AuthUser) {
    return this.notifications.list(actor.id, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationsReadResponse })
  readAll(@CurrentUser() actor: AuthUser) {
    return this.notifications.markAllRead(actor.id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationResponse })
  read(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.notifications.markRead(actor.id, id);
  }
}
