import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERN } from '../../common/id.pipe';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateThreadDto {
  @ApiProperty() @trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty({ description: 'Markdown' }) @IsString() @IsNotEmpty() @MaxLength(50_000) body: string;
}

export class CreatePostDto {
  @ApiProperty({ description: 'Markdown' }) @IsString() @IsNotEmpty() @MaxLength(50_000) body: string;
  @ApiPropertyOptional({ description: 'the post replied to (replies nest one level)' })
  @IsOptional()
  @Matches(ID_PATTERN)
  parentId?: string;
}

/** An edit replaces the post's text, checked as when it was written. */
export class EditPostDto extends PickType(CreatePostDto, ['body'] as const) {}

export class ModerateThreadDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() pinned?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() locked?: boolean;
}

export class ModeratePostDto {
  @ApiPropertyOptional({ description: 'hidden posts are kept for audit and shown as hidden' }) @IsOptional() @IsBoolean() hidden?: boolean;
  @ApiPropertyOptional({ description: '精华' }) @IsOptional() @IsBoolean() featured?: boolean;
}
