import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';

export class DiscussionAuthorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class PostResponse {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true, description: 'the post replied to (replies nest one level)' }) parentId: string | null;
  @ApiProperty({ type: DiscussionAuthorResponse }) author: DiscussionAuthorResponse;
  @ApiProperty({ description: 'Markdown; empty for a hidden post, except for moderators' }) body: string;
  @ApiProperty({ description: 'the body as sanitized HTML' }) bodyHtml: string;
  @ApiProperty({ description: 'the same as bodyHtml, kept for older clients' }) html: string;
  @ApiProperty() charCount: number;
  @ApiProperty() hidden: boolean;
  @ApiProperty({ description: '精华' }) featured: boolean;
  @ApiProperty({ type: Date, nullable: true }) editedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class PostWithRepliesResponse extends PostResponse {
  @ApiProperty({ type: [PostResponse] }) replies: PostResponse[];
}

export class PostPageResponse extends PageResponse {
  @ApiProperty({ type: [PostWithRepliesResponse] }) items: PostWithRepliesResponse[];
}

export class ThreadResponse {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for a thread of the course forum' }) activityId: string | null;
  @ApiProperty() courseId: string;
  @ApiProperty() authorId: string;
  @ApiProperty() title: string;
  @ApiProperty() pinned: boolean;
  @ApiProperty() locked: boolean;
  @ApiProperty() postCount: number;
  @ApiProperty() lastActivityAt: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ThreadSummaryResponse extends ThreadResponse {
  @ApiProperty() authorName: string;
}

export class ThreadPageResponse extends PageResponse {
  @ApiProperty({ type: [ThreadSummaryResponse] }) items: ThreadSummaryResponse[];
}

export class ThreadDetailResponse extends ThreadResponse {
  @ApiProperty({ description: 'the opening post’s text (it is also the first of posts)' }) body: string;
  @ApiProperty() bodyHtml: string;
  @ApiProperty({ type: DiscussionAuthorResponse, nullable: true, description: 'the opening post’s author' }) author: DiscussionAuthorResponse | null;
  @ApiProperty({ type: PostPageResponse, description: 'top-level posts, oldest first, with their replies' }) posts: PostPageResponse;
}
