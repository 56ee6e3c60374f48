import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

/** A bank question; the fields are checked by the same rules as a quiz's own questions, plus key and tags. */
export class BankQuestionDto {
  @ApiPropertyOptional({ description: 'identity within the course (letters, digits, _ . -); quizzes refer to it', example: 'dangzhang-01' })
  @Allow()
  key?: string;

  @ApiPropertyOptional({ type: [String], example: ['党章', '组织生活'] }) @Allow() tags?: string[];
  @ApiPropertyOptional({ enum: ['single', 'multiple', 'truefalse', 'text'] }) @Allow() kind?: string;
  @ApiPropertyOptional() @Allow() prompt?: string;
  @ApiPropertyOptional({ type: [String] }) @Allow() options?: string[];
  @ApiPropertyOptional({ description: 'option index, option indexes, true/false, or accepted text(s)' }) @Allow() answer?: unknown;
  @ApiPropertyOptional() @Allow() points?: number;
  @ApiPropertyOptional() @Allow() explanation?: string;
}

export class BankListQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'only questions carrying this tag' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  tag?: string;

  @ApiPropertyOptional({ description: 'search in key and prompt' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['live', 'archived', 'all'], default: 'live' })
  @IsOptional()
  @IsIn(['live', 'archived', 'all'])
  @Transform(({ value }) => (value === '' ? undefined : value))
  status?: 'live' | 'archived' | 'all';
}
