import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';

/**
 * A span of the video just watched, in seconds of the video's own timeline.
 *
 * The progress route is the platform's hottest (every viewer, every 15 s), so its body is checked by
 * Fastify's compiled JSON-schema validator rather than class-validator, whose per-call metadata lookup
 * cost the route a tenth of its time. The same schema documents the route in OpenAPI. That `to` is not
 * before `from` is a rule of VideoWatchService.
 */
export const WATCH_REPORT_SCHEMA = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: { type: 'number', minimum: 0, maximum: 24 * 3600, description: 'seconds, e.g. 30' },
    to: { type: 'number', minimum: 0, maximum: 24 * 3600, description: 'seconds, not before from, e.g. 45' },
    deviceId: { type: 'string', pattern: '^[\\w-]{1,64}$', description: 'the player instance (one per page load); defaults to the signed-in session' },
  },
} as const;

export interface WatchReport {
  from: number;
  to: number;
  deviceId?: string;
}

export class SignedStreamQuery {
  @IsOptional() @IsString() u?: string;
  @IsOptional() @IsString() e?: string;
  @IsOptional() @IsString() s?: string;
}

export class CheckpointAnswerDto {
  @ApiProperty({ description: 'the index of the chosen option' })
  @IsInt()
  @Min(0)
  answer: number;
}
