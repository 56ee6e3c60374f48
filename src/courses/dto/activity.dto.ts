import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { ACTIVITY_TYPES, ActivityType } from '../../access/course-rows';

/**
 * Shape documented for OpenAPI. The body is validated by the zod schemas in activity-input.ts, which know
 * which fields each activity type needs (class-validator here only admits the known field names).
 */
export class CreateActivityDto {
  @ApiProperty({ enum: ACTIVITY_TYPES }) @Allow() type: ActivityType;
  @ApiProperty() @Allow() sectionId: string;
  @ApiProperty() @Allow() title: string;
  @ApiPropertyOptional({ default: true }) @Allow() required?: boolean;
  @ApiPropertyOptional({ default: 0 }) @Allow() creditHours?: number;
  @ApiPropertyOptional() @Allow() opensAt?: string | null;
  @ApiPropertyOptional() @Allow() dueAt?: string | null;
  @ApiPropertyOptional() @Allow() position?: number;
  @ApiPropertyOptional({ description: 'video' }) @Allow() durationSeconds?: number;
  @ApiPropertyOptional({ description: 'video, default 90' }) @Allow() completionPercent?: number;
  @ApiPropertyOptional({ description: 'video: [{atSeconds, prompt, options, answer}] questions that must be answered to count watching past them' })
  @Allow()
  checkpoints?: unknown[];
  @ApiPropertyOptional({ description: 'reading (Markdown)' }) @Allow() body?: string;
  @ApiPropertyOptional({ description: 'reading' }) @Allow() minReflectionLength?: number;
  @ApiPropertyOptional({ description: 'reading' }) @Allow() reflectionNeedsApproval?: boolean;
  @ApiPropertyOptional({ description: 'quiz' }) @Allow() passPercent?: number;
  @ApiPropertyOptional({ description: 'quiz' }) @Allow() maxAttempts?: number;
  @ApiPropertyOptional({ description: 'quiz' }) @Allow() timeLimitMinutes?: number | null;
  @ApiPropertyOptional({ description: 'quiz' }) @Allow() shuffleOptions?: boolean;
  @ApiPropertyOptional({ description: 'quiz' }) @Allow() showAnswersAfterSubmit?: boolean;
  @ApiPropertyOptional({ description: 'quiz: best (default) or last attempt decides', enum: ['best', 'last'] }) @Allow() grading?: 'best' | 'last';
  @ApiPropertyOptional({ description: 'quiz: [{kind, prompt, options?, answer, points?}]' }) @Allow() questions?: unknown[];
  @ApiPropertyOptional({ description: 'quiz: questions from the course bank: {keys?: [key], draws?: [{tags?: [tag], count}]}' }) @Allow() bank?: unknown;
  @ApiPropertyOptional({ description: 'discussion' }) @Allow() prompt?: string;
  @ApiPropertyOptional({ description: 'discussion' }) @Allow() minPosts?: number;
  @ApiPropertyOptional({ description: 'discussion' }) @Allow() minReplies?: number;
  @ApiPropertyOptional({ description: 'discussion' }) @Allow() minPostLength?: number;
  @ApiPropertyOptional({ description: 'session' }) @Allow() startsAt?: string;
  @ApiPropertyOptional({ description: 'session' }) @Allow() endsAt?: string;
  @ApiPropertyOptional({ description: 'session' }) @Allow() location?: string;
  @ApiPropertyOptional({ description: 'session' }) @Allow() speaker?: string | null;
}

/** Any subset of the creation fields except `type`. */
export class UpdateActivityDto extends PartialType(OmitType(CreateActivityDto, ['type'] as const)) {}
