import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN } from '../../common/id.pipe';
import { QUESTION_KINDS, type QuestionKind } from '../survey.entity';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Whom the survey asks: one course's learners, one unit's secretaries, or all secretaries (exactly one). */
export class SurveyAudienceDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) courseId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) unitId?: string;
  @ApiPropertyOptional({ description: 'all secretaries' }) @IsOptional() @IsBoolean() @Equals(true) all?: boolean;
}

export class SurveyQuestionDto {
  @ApiProperty({ enum: QUESTION_KINDS }) @IsIn(QUESTION_KINDS) kind: QuestionKind;
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(500) prompt: string;
  @ApiPropertyOptional({ type: [String], description: 'single and multiple choice: 2 to 20 choices' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];

  @ApiProperty() @IsBoolean() required: boolean;
}

export class CreateSurveyDto {
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @IsBoolean() anonymous: boolean;
  @ApiProperty({ type: SurveyAudienceDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => SurveyAudienceDto) audience: SurveyAudienceDto;
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }) opensAt: string;
  @ApiProperty({ format: 'date-time' }) @IsDateString({ strict: true }) closesAt: string;
  @ApiProperty({ type: [SurveyQuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SurveyQuestionDto)
  questions: SurveyQuestionDto[];

  @ApiPropertyOptional({ description: "a course's training evaluation questionnaire its learners must answer before the course's certificate is issued (one per course)" })
  @IsOptional()
  @IsBoolean()
  requiredForCertificate?: boolean;
}

/** One entry per question, in order: an option index (single), option indexes (multiple), 1–5 (scale), a text, or null to skip an optional one. */
export class AnswerSurveyDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }, { type: 'string' }], nullable: true },
  })
  @IsArray()
  @ArrayMaxSize(100)
  answers: unknown[];
}

export class SurveyResultsQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'] }) @IsOptional() @IsIn(['json', 'xlsx']) format?: 'json' | 'xlsx';
}
