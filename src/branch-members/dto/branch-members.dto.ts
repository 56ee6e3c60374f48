import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MEMBER_CATEGORIES, type MemberCategory } from '../branch-member.entity';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** A calendar date as people write it in forms: 2021-07-01. */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ListMembersQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'also those who left (their rows stay, records name them)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeLeft?: 'true' | 'false';
}

export class CreateMemberDto {
  @ApiProperty({ example: '张伟' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;

  @ApiPropertyOptional({ enum: MEMBER_CATEGORIES, default: 'full', description: 'full: 正式党员, probationary: 预备党员' })
  @IsOptional()
  @IsIn(MEMBER_CATEGORIES)
  category?: MemberCategory;

  @ApiPropertyOptional({ example: '2021-07-01', nullable: true, description: 'the day they joined the Party, YYYY-MM-DD' })
  @IsOptional()
  @IsString()
  @Matches(DATE)
  joinedAt?: string | null;
}

export class UpdateMemberDto extends PartialType(CreateMemberDto) {}

export class ImportMembersQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'check the file and answer what would change, writing nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}
