import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';
import { ID_PATTERN } from '../../common/id.pipe';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CompileQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '组织部在结班前强制编制（按实时进度）' })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}

/** A page of a course's certificates, narrowed to one unit or branch (as printed on them). */
export class ListCertificatesQuery extends PaginationQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN)
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN)
  branchId?: string;
}

/** The same narrowing without paging (the bundle). */
export class CertificateScopeQuery extends PickType(ListCertificatesQuery, ['unitId', 'branchId'] as const) {}

export class RevokeCertificateDto {
  @ApiProperty({ maxLength: 500, example: '学时记录有误' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class ReissueCertificateDto {
  @ApiProperty({ maxLength: 500, example: '姓名更正' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  reason: string;
}
