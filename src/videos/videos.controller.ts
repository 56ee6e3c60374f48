import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiPartialContentResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Authenticated, CurrentUser, Public } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CheckpointAnswerDto, SignedStreamQuery, WATCH_REPORT_SCHEMA, WatchReport } from './dto/watch.dto';
import { VideoStream, VideosService } from './videos.service';
import { VideoWatchService } from './video-watch.service';
import { CheckpointAnswerResponse, PlaybackStartResponse, SignedVideoUrlResponse, VideoUploadResponse, WatchResponse, WatchStateResponse } from './dto/video.response';

function send(reply: FastifyReply, stream: VideoStream): void {
  void reply.status(stream.status).headers(stream.headers).send(stream.body);
}

@ApiTags('videos')
@Controller('activities/:id')
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly watch: VideoWatchService,
  ) {}

  /** Streaming multipart upload (field `file`, MP4, MOV or WebM, checked by its bytes); the duration is read from the container. */
  @Post('video')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: VideoUploadResponse })
  upload(@Param('id', IdPipe) id: string, @Req() request: FastifyRequest, @CurrentUser() actor: AuthUser) {
    return this.videos.upload(id, request, actor);
  }

  /** The video, honouring Range (206; 416 outside the file). */
  @Get('video')
  @Authenticated()
  @ApiProduces('video/mp4', 'video/webm')
  @ApiOkResponse({ description: 'the whole video', schema: { type: 'string', format: 'binary' } })
  @ApiPartialContentResponse({ description: 'the requested range', schema: { type: 'string', format: 'binary' } })
  async stream(@Param('id', IdPipe) id: string, @Headers('range') range: string | undefined, @CurrentUser() actor: AuthUser, @Res() reply: FastifyReply) {
    send(reply, await this.videos.streamFor(id, actor, range));
  }

  /** A short-lived URL for a plain <video> tag (no bearer header needed). Fetching the video starts the playback. */
  @Get('video-url')
  @Authenticated()
  @ApiOkResponse({ type: SignedVideoUrlResponse })
  signedUrl(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.videos.signedUrl(id, actor);
  }

  /**
   * The player's play event (start or resume): watched seconds count from a playback start the server saw,
   * this or the video's own fetch. A playback already going on keeps its start. → `{startedAt}`.
   */
  @Post('play')
  @HttpCode(200)
  @Authenticated('secretary')
  @ApiOkResponse({ type: PlaybackStartResponse })
  play(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.watch.play(id, actor);
  }

  /**
   * The player's report of a span just watched (about every 15 s). Only seconds that real time allows count;
   * `accepted: false` with a reason when a report was not counted; 409 while another device is playing, and
   * 409 PLAYBACK_NOT_STARTED when the server saw no playback start (see `play`).
   */
  @Post('progress')
  @HttpCode(200)
  @Authenticated('secretary')
  @RouteSchema({ body: WATCH_REPORT_SCHEMA })
  @ApiBody({ schema: WATCH_REPORT_SCHEMA as object })
  @ApiOkResponse({ type: WatchResponse })
  report(@Param('id', IdPipe) id: string, @Body() dto: WatchReport, @CurrentUser() actor: AuthUser, @Headers('authorization') authorization: string) {
    const device = dto.deviceId ?? `s-${createHash('sha256').update(authorization ?? '').digest('hex').slice(0, 16)}`;
    return this.watch.report(id, actor, { from: dto.from, to: dto.to }, device);
  }

  /** Answers the checkpoint question at `index`; `{correct}`. Watching past it counts once it is right. */
  @Post('checkpoints/:index')
  @HttpCode(200)
  @Authenticated('secretary')
  @ApiOkResponse({ type: CheckpointAnswerResponse })
  answer(@Param('id', IdPipe) id: string, @Param('index', ParseIntPipe) index: number, @Body() dto: CheckpointAnswerDto, @CurrentUser() actor: AuthUser) {
    return this.watch.answerCheckpoint(id, actor, index, dto.answer);
  }

  /** Watched seconds, percent, completion and the position to resume from. */
  @Get('watch')
  @Authenticated('secretary')
  @ApiOkResponse({ type: WatchStateResponse })
  state(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.watch.state(id, actor);
  }
}

@ApiTags('videos')
@Controller('videos')
export class SignedVideoController {
  constructor(private readonly videos: VideosService) {}

  /** Public by design: the signature in the query is the credential, and it expires. */
  @Get(':id/stream')
  @Public()
  @ApiProduces('video/mp4', 'video/webm')
  @ApiOkResponse({ description: 'the whole video', schema: { type: 'string', format: 'binary' } })
  @ApiPartialContentResponse({ description: 'the requested range', schema: { type: 'string', format: 'binary' } })
  async stream(@Param('id', IdPipe) id: string, @Query() query: SignedStreamQuery, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    send(reply, await this.videos.streamSigned(id, query, range));
  }
}
