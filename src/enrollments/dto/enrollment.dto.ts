import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

const ID = /^[1-9]\d{0,18}$/;

export class EnrollDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @Matches(ID, { each: true })
  userIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these branches, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID, { each: true })
  branchIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these units, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID, { each: true })
  unitIds?: string[];

  @ApiPropertyOptional({ description: 'Every secretary, or for a unit admin every secretary of their unit: 全覆盖' })
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
  @Matches(ID)
  branchId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  unitId?: string;

  @ApiPropertyOptional({ description: 'name or 工号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
