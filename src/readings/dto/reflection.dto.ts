import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { REFLECTION_STATUSES, ReflectionStatus } from '../reflection.entity';

export class SubmitReflectionDto {
  @ApiProperty({ description: 'Markdown; the minimum length counts characters a reader sees, without spaces' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  body: string;

  @ApiPropertyOptional({ description: 'save as a draft (no length check, not submitted)' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;

  @ApiPropertyOptional({ description: 'the author agrees that an excellent reflection is shown to the course' })
  @IsOptional()
  @IsBoolean()
  shareConsent?: boolean;
}

export class ReviewReflectionDto {
  @ApiProperty({ enum: ['approve', 'return'] })
  @IsIn(['approve', 'return'])
  decision: 'approve' | 'return';

  @ApiPropertyOptional({ description: 'required when returning' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  feedback?: string;

  @ApiPropertyOptional({ description: 'Approve only: mark it as 优秀心得' })
  @IsOptional()
  @IsBoolean()
  excellent?: boolean;
}

export class ListReflectionsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: REFLECTION_STATUSES })
  @IsOptional()
  @IsIn(REFLECTION_STATUSES)
  status?: ReflectionStatus;
}
