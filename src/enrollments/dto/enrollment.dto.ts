import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PlacedPageQuery } from '../../common/pagination';
import { ID_PATTERN } from '../../common/id.pipe';


export class EnrollDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @Matches(ID_PATTERN, { each: true })
  userIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these branches, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID_PATTERN, { each: true })
  branchIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every secretary of these units, now and added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(ID_PATTERN, { each: true })
  unitIds?: string[];

  @ApiPropertyOptional({ description: 'Every secretary, or for a unit admin every secretary of their unit: 全覆盖' })
  @IsOptional()
  @IsBoolean()
  allSecretaries?: boolean;
}

export class ListEnrollmentsQuery extends PlacedPageQuery {
  @ApiPropertyOptional({ enum: ['active', 'withdrawn'] })
  @IsOptional()
  @IsIn(['active', 'withdrawn'])
  status?: 'active' | 'withdrawn';

  @ApiPropertyOptional({ description: 'name or 工号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
