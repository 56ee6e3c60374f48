import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { RequiredText, stacked } from '../../common/dto/fields';
import { BRANCH_KINDS, type BranchKind } from '../../org/branch.entity';
import { MAX_WORK_YEAR, MIN_WORK_YEAR } from '../beijing-calendar';
import { NORM_PERIODS, RECORD_REQUIREMENTS, type NormPeriod, type RecordRequirement } from '../norm.entity';
import { NORM_KIND_PATTERN } from '../norm-set';

/** A year a branch's work may be planned and counted in (Beijing), given as a query parameter; optional. */
export const WorkYear = () => stacked(IsOptional(), Type(() => Number), IsInt(), Min(MIN_WORK_YEAR), Max(MAX_WORK_YEAR));

/** A norm's kind: a stable key of lower-case letters, digits and _. */
export const NormKind = () => stacked(IsString(), Matches(NORM_KIND_PATTERN));

export class NormsQuery {
  @ApiPropertyOptional({ description: 'the year (Beijing); this year when left out', example: 2026 })
  @WorkYear()
  year?: number;
}

export class NormInputDto {
  @ApiProperty({ example: 'theme_day', description: 'a stable key: lower-case letters, digits and _' })
  @NormKind()
  kind: string;

  @ApiProperty({ example: '主题党日' })
  @RequiredText(100)
  name: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  minCount: number;

  @ApiProperty({ enum: NORM_PERIODS })
  @IsIn(NORM_PERIODS)
  per: NormPeriod;

  @ApiProperty({ enum: BRANCH_KINDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(BRANCH_KINDS, { each: true })
  branchKinds: BranchKind[];

  @ApiProperty({ enum: RECORD_REQUIREMENTS, isArray: true })
  @IsArray()
  @IsIn(RECORD_REQUIREMENTS, { each: true })
  requires: RecordRequirement[];
}

export class ReplaceNormsDto {
  @ApiProperty({ type: [NormInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NormInputDto)
  items: NormInputDto[];
}
