import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

const ID = /^[1-9]\d{0,18}$/;

export class EnrollDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @Matches(ID, { each: true, message: 'userIds must be numeric ids' })
  userIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these branches, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID, { each: true, message: 'branchIds must be numeric ids' })
  branchIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these units, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID, { each: true, message: 'unitIds must be numeric ids' })
  unitIds?: string[];

  @ApiPropertyOptional({ description: '全覆盖: every secretary (a unit admin: every secretary of their unit)' })
  @IsOptional()
  @IsBoolean()
  allSecretaries?: boolean;
}

export class ListEnrollmentsQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ['active', 'withdrawn'] })
  @IsOptional()
  @IsIn(['active', 'withdrawn'])
  status?: 'active' | 'withdrawn';

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'branchId must be a numeric id' })
  branchId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'unitId must be a numeric id' })
  unitId?: string;

  @ApiPropertyOptional({ description: 'name or 工号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
