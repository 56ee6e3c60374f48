import { ApiProperty } from '@nestjs/swagger';

export class UploadedVideoResponse {
  @ApiProperty() id: string;
  @ApiProperty() mimeType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() durationSeconds: number;
  @ApiProperty() originalName: string;
  @ApiProperty() updatedAt: Date;
}

export class VideoReplacementResponse {
  @ApiProperty() previousDurationSeconds: number;
  @ApiProperty() progressKept: boolean;
  @ApiProperty() note: string;
}

export class VideoUploadResponse {
  @ApiProperty() activityId: string;
  @ApiProperty({ type: UploadedVideoResponse }) video: UploadedVideoResponse;
  @ApiProperty({ type: VideoReplacementResponse, nullable: true, description: 'when a video was replaced: what happened to learners’ progress' })
  replacement: VideoReplacementResponse | null;
}

export class SignedVideoUrlResponse {
  @ApiProperty({ description: 'GET it without a bearer token until it expires' }) url: string;
  @ApiProperty() expiresAt: Date;
}

export class PlaybackStartResponse {
  @ApiProperty() startedAt: Date;
}

export class WatchCheckpointResponse {
  @ApiProperty() index: number;
  @ApiProperty() atSeconds: number;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String] }) options: string[];
}

export class WatchResponse {
  @ApiProperty({ description: 'whether the report was taken' }) accepted: boolean;
  @ApiProperty({ enum: ['too_fast', 'outside', 'checkpoint'], nullable: true, description: 'why a report was not, or not wholly, counted' })
  reason: 'too_fast' | 'outside' | 'checkpoint' | null;

  @ApiProperty({ type: WatchCheckpointResponse, nullable: true, description: 'the question to answer before watching on counts' })
  checkpoint: WatchCheckpointResponse | null;

  @ApiProperty() watchedSeconds: number;
  @ApiProperty() percent: number;
  @ApiProperty() completed: boolean;
  @ApiProperty({ description: 'where to resume' }) position: number;
  @ApiProperty() durationSeconds: number;
}

export class WatchStateResponse extends WatchResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    description: 'the watched spans [from, to] in seconds',
  })
  intervals: [number, number][];
}

export class CheckpointAnswerResponse {
  @ApiProperty() correct: boolean;
}
