import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { SUGGESTION_STATUSES, type SuggestionStatus } from '../suggestion.entity';

export class SuggestionAuthorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class SuggestionResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'the body as sanitized HTML' }) bodyHtml: string;
  @ApiProperty({ type: String, nullable: true }) courseId: string | null;
  @ApiProperty({ type: String, nullable: true }) courseTitle: string | null;
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: SuggestionAuthorResponse, nullable: true, description: 'null when anonymous, except for the department and the author' })
  author: SuggestionAuthorResponse | null;

  @ApiProperty({ enum: SUGGESTION_STATUSES }) status: SuggestionStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Markdown' }) reply: string | null;
  @ApiProperty({ type: String, nullable: true }) replyHtml: string | null;
  @ApiProperty({ type: Date, nullable: true }) repliedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class SuggestionPageResponse extends PageResponse {
  @ApiProperty({ type: [SuggestionResponse] }) items: SuggestionResponse[];
}
