import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { SUGGESTION_STATUSES, SuggestionStatus } from '../suggestion.entity';
import { ID_PATTERN } from '../../common/id.pipe';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateSuggestionDto {
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(10_000) body: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) courseId?: string;
  @ApiPropertyOptional({ description: 'hide the author from everyone but the department' }) @IsOptional() @IsBoolean() anonymous?: boolean;
}

/** The department's answer: `body` (API.md) or `reply`, and the status (default answered). */
export class ReplySuggestionDto {
  @ApiPropertyOptional({ description: 'the answer (Markdown)' }) @IsOptional() @trim() @IsString() @IsNotEmpty() @MaxLength(10_000) body?: string;
  @ApiPropertyOptional({ description: 'the same as body' }) @IsOptional() @trim() @IsString() @IsNotEmpty() @MaxLength(10_000) reply?: string;
  @ApiPropertyOptional({ enum: SUGGESTION_STATUSES, default: 'answered' })
  @IsOptional()
  @IsIn(SUGGESTION_STATUSES)
  status?: SuggestionStatus;
}

export class ListSuggestionsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: SUGGESTION_STATUSES }) @IsOptional() @IsIn(SUGGESTION_STATUSES) status?: SuggestionStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) courseId?: string;
  @ApiPropertyOptional({ description: 'admins: only my own suggestions' }) @IsOptional() @IsIn(['true', 'false']) mine?: 'true' | 'false';
}
