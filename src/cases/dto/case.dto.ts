import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { ID_PATTERN } from '../../common/id.pipe';
import { CASE_KINDS, type CaseKind } from '../case-kinds';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateCaseDto {
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty({ description: 'Markdown' }) @trim() @IsString() @IsNotEmpty() @MaxLength(50_000) body: string;
  @ApiProperty({ type: [String], description: 'up to 10 tags of up to 30 characters' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(30, { each: true })
  tags: string[];

  @ApiPropertyOptional({ description: 'an accepted handbook record of the secretary’s branch' }) @IsOptional() @Matches(ID_PATTERN) recordId?: string;

  @ApiPropertyOptional({ enum: CASE_KINDS, description: '类别; by default the record’s (组织生活 for its meetings, 党员教育 for 党课), else other' })
  @IsOptional()
  @IsIn(CASE_KINDS)
  kind?: CaseKind;
}

export class ListCasesQuery extends PaginationQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(30) tag?: string;
  @ApiPropertyOptional({ enum: CASE_KINDS }) @IsOptional() @IsIn(CASE_KINDS) kind?: CaseKind;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) featured?: 'true' | 'false';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'recommended by their unit (what the department picks 优秀案例 from)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  recommended?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'words in the title or text' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class FeatureCaseDto {
  @ApiProperty({ description: '优秀案例' }) @IsBoolean() featured: boolean;
}

export class HideCaseDto {
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() hidden?: boolean;
}

export class LockCaseDto {
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() locked?: boolean;
}

export class CaseCommentDto {
  @ApiProperty({ description: 'Markdown' }) @trim() @IsString() @IsNotEmpty() @MaxLength(5_000) body: string;
}
