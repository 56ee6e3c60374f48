import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  isEmail,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../passwords';
import { PlacedPageQuery } from '../../common/pagination';
import { Role, ROLES } from '../../common/roles';
import { ID_PATTERN } from '../../common/id.pipe';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const emptyToNull = () => Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? value.trim() : value));
export const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
export const PHONE = /^[0-9+\-() ]{5,32}$/;

/**
 * class-validator's @IsEmail, except that a string validator.js cannot read (a lone UTF-16 surrogate makes its
 * encodeURI throw) is an invalid address (400) rather than a server error.
 */
const IsEmailAddress = () =>
  ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && isEmail(value);
        } catch {
          return false;
        }
      },
    },
  });

export class CreateUserDto {
  @ApiProperty({ example: '20230001', description: 'staff number (工号), used to sign in' })
  @trim()
  @IsString()
  @Matches(USERNAME)
  username: string;

  @ApiProperty({ example: '张伟' })
  @trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ minLength: MIN_PASSWORD_LENGTH, description: 'omitted: the answer carries a one-time initial password to hand out, replaced at first login' })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @emptyToNull()
  @ValidateIf((_, v) => v !== null)
  @IsEmailAddress()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @emptyToNull()
  @ValidateIf((_, v) => v !== null)
  @Matches(PHONE)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'the branch (党支部); for secretaries' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN)
  branchId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'for an admin: limits them to this unit (unit admin)' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN)
  unitId?: string | null;

  @ApiPropertyOptional({ description: 'the user must choose a new password at first login', default: false })
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;
}

/** Any of the fields an admin sets at creation (null clears e-mail, phone, branch or unit), and `active`. */
export class UpdateUserDto extends PartialType(PickType(CreateUserDto, ['name', 'role', 'email', 'phone', 'branchId', 'unitId'] as const)) {
  @ApiPropertyOptional({ description: 'false deactivates the account and ends its sessions' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** What a person may change about themselves. */
export class UpdateMeDto extends PickType(CreateUserDto, ['email', 'phone'] as const) {}

export class ListUsersQuery extends PlacedPageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'search in name, username (工号), email or phone' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'true or false' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class RosterTemplateQuery {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format?: 'csv' | 'xlsx';
}

export class ImportRosterQuery {
  @ApiPropertyOptional({ description: 'true: report what would change and every bad row, change nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}
