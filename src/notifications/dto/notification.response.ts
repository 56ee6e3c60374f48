import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';

export class NotificationResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty({ description: 'what it is about, e.g. reflection.approved, discussion.reply, suggestion.replied' }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true, description: 'the web page it leads to' }) link: string | null;
  @ApiProperty({ type: String, nullable: true }) dedupeKey: string | null;
  @ApiProperty({ type: Date, nullable: true }) readAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class NotificationPageResponse extends PageResponse {
  @ApiProperty({ type: [NotificationResponse] }) items: NotificationResponse[];
  @ApiProperty({ description: 'unread, all pages' }) unread: number;
}

export class NotificationsReadResponse {
  @ApiProperty({ description: 'notifications newly marked read' }) updated: number;
}
