import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { ID_PATTERN } from '../../common/id.pipe';


export const LEARNER_STATUSES = ['behind', 'completed', 'all'] as const;
export type LearnerStatus = (typeof LEARNER_STATUSES)[number];
export const LEARNER_SORTS = ['name', 'username', 'unit', 'branch', 'requiredDone', 'creditHours', 'lastActivityAt', 'completedAt'] as const;
export type LearnerSort = (typeof LEARNER_SORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_TABLES = ['learners', 'units', 'branches'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export class CompletionQuery {
  @ApiPropertyOptional({ description: 'only this unit (a unit admin: their own; another unit answers 404)' })
  @IsOptional()
  @Matches(ID_PATTERN)
  unitId?: string;
}

/** The learner filters, shared by the list and the export. */
export class LearnerFilterQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: LEARNER_STATUSES, default: 'all', description: 'behind: not (yet) completed' })
  @IsOptional()
  @IsIn(LEARNER_STATUSES)
  status: LearnerStatus = 'all';

  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) unitId?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) branchId?: string;

  @ApiPropertyOptional({ description: 'only learners who have not completed this activity of the course' })
  @IsOptional()
  @Matches(ID_PATTERN)
  activityId?: string;

  @ApiPropertyOptional({ description: 'part of the name, or the start of the staff number (工号)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;

  @ApiPropertyOptional({ enum: LEARNER_SORTS, default: 'username' })
  @IsOptional()
  @IsIn(LEARNER_SORTS)
  sort: LearnerSort = 'username';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class ExportQuery extends LearnerFilterQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'csv';

  @ApiPropertyOptional({ enum: EXPORT_TABLES, default: 'learners', description: 'learners, or the by-unit / by-branch completion table' })
  @IsOptional()
  @IsIn(EXPORT_TABLES)
  table: ExportTable = 'learners';
}

export class BranchRankingQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'the unit whose branches to rank (a unit admin: their own, the default)' })
  @IsOptional()
  @Matches(ID_PATTERN)
  unitId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 20, description: 'names of learners behind listed per branch' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  names: number = 20;
}
