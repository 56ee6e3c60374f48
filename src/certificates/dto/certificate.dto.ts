import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const ID = /^[1-9]\d{0,18}$/;

export class CompileQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '组织部在结班前强制编制（按实时进度）' })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}

/** Narrows a course's certificates to one unit or branch (as printed on them). */
export class CertificateScopeQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  branchId?: string;
}

export class ListCertificatesQuery extends PaginationQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  branchId?: string;
}

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
