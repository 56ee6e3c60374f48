import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { RequiredText, Trim } from '../../common/dto/fields';
import { ID_PATTERN } from '../../common/id.pipe';
import { PaginationQuery } from '../../common/pagination';
import { MAX_WORK_YEAR, MIN_WORK_YEAR } from '../../norms/beijing-calendar';
import { WorkYear } from '../../norms/dto/norms.dto';
import { GRADES, MEASURE_KEYS, type Grade, type MeasureKey } from '../assessment-scheme';

/** An indicator's stable key: lower-case letters, digits, _ and -, starting with a letter. */
export const INDICATOR_KEY = /^[a-z][a-z0-9_-]{0,39}$/;

export class IndicatorDto {
  @ApiProperty({ description: 'stable key, e.g. training_hours' }) @Matches(INDICATOR_KEY) key: string;
  @ApiProperty() @RequiredText(50) name: string;
  @ApiProperty({ description: 'share of the total; the weights of a scheme sum to 100' }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(100) weight: number;
  @ApiProperty({ enum: ['auto', 'manual'] }) @IsIn(['auto', 'manual']) source: 'auto' | 'manual';
  @ApiPropertyOptional({ enum: MEASURE_KEYS, description: 'auto indicators: what the platform measures' }) @IsOptional() @IsIn(MEASURE_KEYS) measure?: MeasureKey;
  @ApiPropertyOptional({ description: 'full-score 学时 or count, or the days a record counts as on time (per measure)' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0.1)
  @Max(1000)
  target?: number;
}

export class GradeBandDto {
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiProperty({ description: 'the lowest total (0–100) earning the grade' }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100) min: number;
}

export class SchemeDto {
  @ApiProperty({ type: [IndicatorDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => IndicatorDto) indicators: IndicatorDto[];
  @ApiProperty({ type: [GradeBandDto] }) @IsArray() @ArrayMinSize(2) @ArrayMaxSize(4) @ValidateNested({ each: true }) @Type(() => GradeBandDto) bands: GradeBandDto[];
  @ApiPropertyOptional({ description: 'at most this share (0–1) of branches graded 优秀', nullable: true })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0.001)
  @Max(1)
  excellentCap?: number | null;
}

export class StartRoundDto {
  @ApiProperty({ minimum: MIN_WORK_YEAR, maximum: MAX_WORK_YEAR, description: 'the year assessed' }) @IsInt() @Min(MIN_WORK_YEAR) @Max(MAX_WORK_YEAR) year: number;
  @ApiProperty({ minimum: MIN_WORK_YEAR, maximum: MAX_WORK_YEAR, description: 'the year whose scheme applies' }) @IsInt() @Min(MIN_WORK_YEAR) @Max(MAX_WORK_YEAR) schemeYear: number;
}

export class RoundsQuery {
  @ApiPropertyOptional({ minimum: MIN_WORK_YEAR, maximum: MAX_WORK_YEAR }) @WorkYear() year?: number;
}

export class ManualScoreDto {
  @ApiProperty() @Matches(INDICATOR_KEY) key: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100) score: number;
  @ApiProperty({ description: 'why this score (required)' }) @RequiredText(500) reason: string;
}

export class ManualScoresDto {
  @ApiProperty({ type: [ManualScoreDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => ManualScoreDto) scores: ManualScoreDto[];
}

export class AdjustmentDto extends ManualScoreDto {}

export class AdjustmentDecisionDto {
  @ApiProperty() @IsBoolean() accept: boolean;
  @ApiPropertyOptional() @IsOptional() @Trim() @RequiredText(500) comment?: string;
}

export class AdjustmentsQuery {
  @ApiPropertyOptional({ enum: ['proposed', 'accepted', 'rejected'] }) @IsOptional() @IsIn(['proposed', 'accepted', 'rejected']) state?: 'proposed' | 'accepted' | 'rejected';
}

export class ResultsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'one unit (a unit admin: their own; another answers 404)' }) @IsOptional() @Matches(ID_PATTERN) unitId?: string;
  @ApiPropertyOptional({ enum: ['json', 'xlsx'] }) @IsOptional() @IsIn(['json', 'xlsx']) format?: 'json' | 'xlsx';
}

export class BranchAssessmentQuery {
  @ApiProperty({ minimum: MIN_WORK_YEAR, maximum: MAX_WORK_YEAR }) @Type(() => Number) @IsInt() @Min(MIN_WORK_YEAR) @Max(MAX_WORK_YEAR) year: number;
}
