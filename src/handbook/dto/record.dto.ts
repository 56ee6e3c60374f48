import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DateTimeWithOffset, RequiredText, Trim } from '../../common/dto/fields';
import { ID_PATTERN } from '../../common/id.pipe';
import { PaginationQuery } from '../../common/pagination';
import { WorkYear } from '../../norms/dto/norms.dto';
import { RECORD_STATUSES, RecordStatus } from '../branch-record.entity';
import { ATTACHMENT_KINDS, AttachmentKind } from '../record-attachment.entity';

/** A branch's list is a few dozen people; a few hundred is already past any real branch. */
const MAX_MEMBERS = 500;

export class AbsentMemberDto {
  @ApiProperty() @Matches(ID_PATTERN) memberId: string;
  @ApiProperty({ description: '请假事由' }) @RequiredText(200) reason: string;
}

export class AttendanceDto {
  @ApiProperty({ type: [String], description: 'ids of the members present' })
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @Matches(ID_PATTERN, { each: true })
  present: string[];

  @ApiProperty({ type: [AbsentMemberDto] })
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => AbsentMemberDto)
  absent: AbsentMemberDto[];
}

export class CreateRecordDto {
  @ApiProperty({ example: 'theme_day', description: "a norm's kind, or other" }) @IsString() @IsNotEmpty() @MaxLength(40) kind: string;
  @ApiProperty({ example: '9月主题党日：重温入党誓词' }) @RequiredText(200) title: string;
  @ApiProperty({ example: '2026-09-20T14:30:00+08:00' }) @DateTimeWithOffset() heldAt: string;
  @ApiProperty({ example: '党员活动室' }) @Trim() @IsString() @MaxLength(200) place: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(50) chair?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(50) recorder?: string;
  @ApiProperty({ type: AttendanceDto }) @IsObject() @ValidateNested() @Type(() => AttendanceDto) attendance: AttendanceDto;
  @ApiProperty({ description: 'Markdown' }) @IsString() @MaxLength(100_000) minutes: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) resolutions?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the plan item this record fulfils' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ID_PATTERN)
  planItemId?: string | null;
}

/** Any of the fields of a new record; what is sent replaces what was there. */
export class UpdateRecordDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) kind?: string;
  @ApiPropertyOptional() @IsOptional() @RequiredText(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @DateTimeWithOffset() heldAt?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(200) place?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MaxLength(50) chair?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MaxLength(50) recorder?: string | null;
  @ApiPropertyOptional({ type: AttendanceDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AttendanceDto) attendance?: AttendanceDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100_000) minutes?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(20_000) resolutions?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(ID_PATTERN) planItemId?: string | null;
}

export const REVIEW_DECISIONS = ['accept', 'return'] as const;

export class ReviewRecordDto {
  @ApiProperty({ enum: REVIEW_DECISIONS }) @IsIn(REVIEW_DECISIONS) decision: (typeof REVIEW_DECISIONS)[number];
  @ApiPropertyOptional({ description: 'required when returning' }) @IsOptional() @Trim() @IsString() @MaxLength(1000) comment?: string;
}

/** The fields of an accepted record a correction may change. */
export const CORRECTABLE_FIELDS = ['title', 'place', 'chair', 'recorder', 'minutes', 'resolutions'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export class CorrectRecordDto {
  @ApiProperty({ enum: CORRECTABLE_FIELDS }) @IsIn(CORRECTABLE_FIELDS) field: CorrectableField;
  @ApiProperty({ description: 'the corrected value' }) @IsString() @MaxLength(100_000) value: string;
  @ApiProperty({ description: 'why it is corrected' }) @RequiredText(500) reason: string;
}

export class ListRecordsQuery extends PaginationQuery {
  @ApiPropertyOptional({ example: 2026 }) @WorkYear() year?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40) kind?: string;
  @ApiPropertyOptional({ enum: RECORD_STATUSES }) @IsOptional() @IsIn(RECORD_STATUSES) status?: RecordStatus;
}

/** The review queue: records across branches, a unit admin's own unit, the department's all or one unit. */
export class ReviewQueueQuery extends ListRecordsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) unitId?: string;
}

export class AttachmentQuery {
  @ApiPropertyOptional({ enum: ATTACHMENT_KINDS, description: 'photo (default for images), signInSheet, document (default for PDF)' })
  @IsOptional()
  @IsIn(ATTACHMENT_KINDS)
  kind?: AttachmentKind;
}

export const HANDBOOK_FORMATS = ['pdf', 'xlsx'] as const;

export class HandbookQuery {
  @ApiPropertyOptional({ enum: HANDBOOK_FORMATS, default: 'pdf' }) @IsOptional() @IsIn(HANDBOOK_FORMATS) format?: (typeof HANDBOOK_FORMATS)[number];
}
