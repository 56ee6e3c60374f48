import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const ID = /^[1-9]\d{0,18}$/;

export class CompileQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '组织部在结班前强制编制（按实时进度）' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'force 只能是 true 或 false (force must be true or false)' })
  force?: 'true' | 'false';
}

/** Narrows a course's certificates to one unit or branch (as printed on them). */
export class CertificateScopeQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'unitId 不是有效的编号 (unitId must be an id)' })
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'branchId 不是有效的编号 (branchId must be an id)' })
  branchId?: string;
}

export class ListCertificatesQuery extends PaginationQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'unitId 不是有效的编号 (unitId must be an id)' })
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'branchId 不是有效的编号 (branchId must be an id)' })
  branchId?: string;
}

export class RevokeCertificateDto {
  @ApiProperty({ maxLength: 500, example: '学时记录有误' })
  @trim()
  @IsString({ message: '请填写撤销原因 (reason is required)' })
  @IsNotEmpty({ message: '请填写撤销原因 (reason is required)' })
  @MaxLength(500, { message: '撤销原因不能超过 500 字 (reason: at most 500 characters)' })
  reason: string;
}

export class ReissueCertificateDto {
  @ApiProperty({ maxLength: 500, example: '姓名更正' })
  @trim()
  @IsString({ message: '请填写重新颁发的原因 (reason is required)' })
  @IsNotEmpty({ message: '请填写重新颁发的原因 (reason is required)' })
  @MaxLength(400, { message: '原因不能超过 400 字 (reason: at most 400 characters)' })
  reason: string;
}
