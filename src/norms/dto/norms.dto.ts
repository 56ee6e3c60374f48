import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { BRANCH_KINDS, type BranchKind } from '../../org/branch.entity';
import { MAX_WORK_YEAR, MIN_WORK_YEAR } from '../beijing-calendar';
import { NORM_PERIODS, RECORD_REQUIREMENTS, type NormPeriod, type RecordRequirement } from '../norm.entity';
import { NORM_KIND_PATTERN } from '../norm-set';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class NormsQuery {
  @ApiPropertyOptional({ description: 'the year (Beijing); this year when left out', example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_WORK_YEAR)
  @Max(MAX_WORK_YEAR)
  year?: number;
}

export class NormInputDto {
  @ApiProperty({ example: 'theme_day', description: 'a stable key: lower-case letters, digits and _' })
  @IsString()
  @Matches(NORM_KIND_PATTERN)
  kind: string;

  @ApiProperty({ example: '主题党日' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
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
