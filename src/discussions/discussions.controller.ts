import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PaginationQuery } from '../common/pagination';
import { DiscussionsService } from './discussions.service';
import { CreatePostDto, CreateThreadDto, EditPostDto, ModeratePostDto, ModerateThreadDto } from './dto/discussion.dto';
import { PostResponse, ThreadDetailResponse, ThreadPageResponse, ThreadResponse } from './dto/discussion.response';

@ApiTags('discussions')
@Controller()
@Authenticated()
export class DiscussionsController {
  constructor(private readonly discussions: DiscussionsService) {}

  /** Pinned threads first, then the most recently active. */
  @Get('activities/:id/threads')
  @ApiOkResponse({ type: ThreadPageResponse })
  threads(@Param('id', IdPipe) id: string, @Query() query: PaginationQuery, @CurrentUser() actor: AuthUser) {
    return this.discussions.threads(id, actor, query);
  }

  @Post('activities/:id/threads')
  @ApiCreatedResponse({ type: ThreadDetailResponse })
  createThread(@Param('id', IdPipe) id: string, @Body() dto: CreateThreadDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.createThread(id, actor, dto.title, dto.body);
  }

  /** The course forum (课程论坛): threads about the course outside any activity; no credit. */
  @Get('courses/:id/forum/threads')
  @ApiOkResponse({ type: ThreadPageResponse })
  forumThreads(@Param('id', IdPipe) id: string, @Query() query: PaginationQuery, @CurrentUser() actor: AuthUser) {
    return this.discussions.forumThreads(id, actor, query);
  }

  @Post('courses/:id/forum/threads')
  @ApiCreatedResponse({ type: ThreadDetailResponse })
  createForumThread(@Param('id', IdPipe) id: string, @Body() dto: CreateThreadDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.createForumThread(id, actor, dto.title, dto.body);
  }

  /** The thread with its posts (paged) and their replies; hidden posts show as hidden. */
  @Get('threads/:id')
  @ApiOkResponse({ type: ThreadDetailResponse })
  thread(@Param('id', IdPipe) id: string, @Query() query: PaginationQuery, @CurrentUser() actor: AuthUser) {
    return this.discussions.thread(id, actor, query);
  }

  /** 409 when the thread is locked. */
  @Post('threads/:id/posts')
  @ApiCreatedResponse({ type: PostResponse })
  reply(@Param('id', IdPipe) id: string, @Body() dto: CreatePostDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.reply(id, actor, dto.body, dto.parentId);
  }

  /** The author, within the edit window. */
  @Patch('posts/:id')
  @ApiOkResponse({ type: PostResponse })
  edit(@Param('id', IdPipe) id: string, @Body() dto: EditPostDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.edit(id, actor, dto.body);
  }

  /** Pin or lock (API.md's form of threads/:id/moderate). */
  @Patch('threads/:id')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ThreadResponse })
  patchThread(@Param('id', IdPipe) id: string, @Body() dto: ModerateThreadDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.moderateThread(id, actor, dto);
  }

  @Post('threads/:id/moderate')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ThreadResponse })
  moderateThread(@Param('id', IdPipe) id: string, @Body() dto: ModerateThreadDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.moderateThread(id, actor, dto);
  }

  @Post('posts/:id/moderate')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: PostResponse })
  moderatePost(@Param('id', IdPipe) id: string, @Body() dto: ModeratePostDto, @CurrentUser() actor: AuthUser) {
    return this.discussions.moderatePost(id, actor, dto);
  }
}
