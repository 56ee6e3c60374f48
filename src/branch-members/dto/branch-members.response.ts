import { ApiProperty } from '@nestjs/swagger';
import { MEMBER_CATEGORIES, type MemberCategory } from '../branch-member.entity';

export class MemberResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MEMBER_CATEGORIES }) category: MemberCategory;
  @ApiProperty({ type: String, nullable: true, example: '2021-07-01' }) joinedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the day the member left the branch' }) leftAt: string | null;
}

export class MemberListResponse {
  @ApiProperty({ type: [MemberResponse] }) items: MemberResponse[];
  @ApiProperty({ description: 'current members (not those who left)' }) total: number;
  @ApiProperty({ description: 'current 正式党员' }) full: number;
  @ApiProperty({ description: 'current 预备党员' }) probationary: number;
}

export class MemberImportErrorResponse {
  @ApiProperty({ description: 'the row as Excel numbers it (the header is row 1)' }) row: number;
  @ApiProperty() message: string;
}

export class MemberImportResponse {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'true when the changes were written; false for a dry run or a file with bad rows' }) applied: boolean;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: 'csv' | 'xlsx';
  @ApiProperty({ enum: ['utf-8', 'gbk'], nullable: true }) encoding: 'utf-8' | 'gbk' | null;
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: [MemberImportErrorResponse] }) errors: MemberImportErrorResponse[];
}
