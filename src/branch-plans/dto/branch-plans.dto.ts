import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RequiredText, Trim } from '../../common/dto/fields';
import { PaginationQuery } from '../../common/pagination';
import { NormKind, WorkYear } from '../../norms/dto/norms.dto';
import { PLAN_STATUSES, type PlanStatus } from '../branch-plan.entity';

const ID = /^[1-9]\d{0,18}$/;

export const MAX_PLAN_ITEMS = 300;

export class PlanItemInputDto {
  @ApiPropertyOptional({ example: '12', description: 'an item already in the plan keeps its id (and the records linked to it); leave out for a new one' })
  @IsOptional()
  @IsString()
  @Matches(ID)
  id?: string;

  @ApiProperty({ minimum: 1, maximum: 12, example: 5 })
  @IsInt()
  @Min(1)
  @Max(12)
  month: number;

  @ApiProperty({ example: 'theme_day', description: "a norm's kind, or `own` for a topic of the branch's own" })
  @NormKind()
  kind: string;

  @ApiProperty({ example: '主题党日：重温入党誓词' })
  @RequiredText(200)
  title: string;
}

export class SavePlanDto {
  @ApiProperty({ type: [PlanItemInputDto] })
  @IsArray()
  @ArrayMaxSize(MAX_PLAN_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => PlanItemInputDto)
  items: PlanItemInputDto[];
}

export const PLAN_DECISIONS = ['approve', 'return'] as const;

export class ReviewPlanDto {
  @ApiProperty({ enum: PLAN_DECISIONS })
  @IsIn(PLAN_DECISIONS)
  decision: (typeof PLAN_DECISIONS)[number];

  @ApiPropertyOptional({ example: '请补充党课的具体主题。', description: 'required when returning' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class PlanExportQuery {
  @ApiPropertyOptional({ enum: ['xlsx', 'pdf'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'pdf'])
  format?: 'xlsx' | 'pdf';
}

export class ListPlansQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'the year (Beijing); this year when left out', example: 2026 })
  @WorkYear()
  year?: number;

  @ApiPropertyOptional({ enum: PLAN_STATUSES, description: 'submitted: the plans waiting for review' })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: PlanStatus;

  @ApiPropertyOptional({ description: "the department: one unit's branches; a unit admin: their own unit only (another is 404)" })
  @IsOptional()
  @Matches(ID)
  unitId?: string;
}
