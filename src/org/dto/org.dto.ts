import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { BRANCH_KINDS, BranchKind } from '../branch.entity';
import { ID_PATTERN } from '../../common/id.pipe';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const CODE = /^[A-Za-z0-9_.-]{1,50}$/;

export class CreateUnitDto {
  @ApiProperty({ example: '计算机学院党委' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 'CS' })
  @trim()
  @IsString()
  @Matches(CODE)
  code: string;
}

/** Name and code may each be changed, never cleared: null is refused rather than skipped. */
export class UpdateUnitDto extends PartialType(CreateUnitDto, { skipNullProperties: false }) {}

export class CreateBranchDto {
  @ApiProperty({ example: '1' })
  @IsString()
  @Matches(ID_PATTERN)
  unitId: string;

  @ApiProperty({ example: '计算机学院教工第一党支部' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 'CS-T1' })
  @trim()
  @IsString()
  @Matches(CODE)
  code: string;

  @ApiPropertyOptional({ enum: BRANCH_KINDS, default: 'staff' })
  @IsOptional()
  @IsIn(BRANCH_KINDS)
  kind?: BranchKind;
}

/** Any of a branch's fields; another unitId moves the branch, and its people, to that unit. */
export class UpdateBranchDto extends PartialType(OmitType(CreateBranchDto, ['kind'] as const)) {
  // Declared again: the create DTO's default kind applies to a new branch, not to a change.
  @ApiPropertyOptional({ enum: BRANCH_KINDS })
  @IsOptional()
  @IsIn(BRANCH_KINDS)
  kind?: BranchKind;
}

export class ListUnitsQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: 'search in name or code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ListBranchesQuery extends PaginationQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN)
  unitId?: string;

  @ApiPropertyOptional({ enum: BRANCH_KINDS })
  @IsOptional()
  @IsIn(BRANCH_KINDS)
  kind?: BranchKind;

  @ApiPropertyOptional({ description: 'search in name or code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
