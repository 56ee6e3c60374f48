import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DateTimeWithOffset, Trim } from '../../common/dto/fields';
import { PaginationQuery } from '../../common/pagination';
import { COURSE_STATUSES, CourseStatus, MAKE_UP_POLICIES, MakeUpPolicy } from '../../access/course-rows';
import { ID_PATTERN } from '../../common/id.pipe';

/** A required title of at most 200 characters, trimmed. */
const TitleField = (example: string) => applyDecorators(ApiProperty({ example }), Trim(), IsString(), IsNotEmpty(), MaxLength(200));

export class CreateCourseDto {
  @TitleField('2026年党支部书记培训班')
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiProperty({ example: '2026-09-01T00:00:00+08:00' })
  @DateTimeWithOffset()
  startsAt: string;

  @ApiProperty({ example: '2026-12-31T23:59:59+08:00' })
  @DateTimeWithOffset()
  endsAt: string;

  @ApiPropertyOptional({ description: '学时 needed to complete, e.g. 56', default: 0 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0)
  @Max(10_000)
  requiredCreditHours?: number;

  @ApiPropertyOptional({ description: 'in-person sessions a learner must attend', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  requiredSessions?: number;

  @ApiPropertyOptional({ description: '补学 days after endsAt before the course closes', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  graceDays?: number;

  @ApiPropertyOptional({
    enum: MAKE_UP_POLICIES,
    default: 'until_end',
    description: '补学: none = overdue work is closed; until_end = open until the course closes (endsAt + graceDays); until = open until makeUpUntil',
  })
  @IsOptional()
  @IsIn(MAKE_UP_POLICIES, { message: 'makeUpPolicy: 补学方式只能是 none（不安排补学）、until_end（培训期结束前均可补学）或 until（补学至指定时间）' })
  makeUpPolicy?: MakeUpPolicy;

  @ApiPropertyOptional({ example: '2026-12-20T23:59:00+08:00', description: 'the make-up deadline, required when makeUpPolicy is until' })
  @IsOptional()
  @DateTimeWithOffset({ message: 'makeUpUntil: 补学截止时间须为带时区的日期时间，例如 2026-12-20T23:59:00+08:00' })
  makeUpUntil?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'instructor user ids' })
  @IsOptional()
  @IsArray()
  @Matches(ID_PATTERN, { each: true })
  instructorIds?: string[];
}

/** Any of the creation fields but the instructors (they have their own routes). */
export class UpdateCourseDto extends PartialType(OmitType(CreateCourseDto, ['instructorIds', 'description'] as const)) {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string | null;
}

export class ListCoursesQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: COURSE_STATUSES })
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;
}

export class InstructorsDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @Matches(ID_PATTERN, { each: true })
  userIds: string[];
}

export class CreateSectionDto {
  @TitleField('九月：理论学习')
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  position?: number;
}

/** Any of the creation fields. The position must be a number here (creation also takes "3"). */
export class UpdateSectionDto extends PartialType(OmitType(CreateSectionDto, ['description', 'position'] as const)) {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  position?: number;
}
