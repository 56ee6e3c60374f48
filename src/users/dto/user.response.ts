import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { ROLES, type Role } from '../../common/roles';

export class UserPlaceResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'staff number (工号), used to sign in' }) username: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ type: String, nullable: true }) branchId: string | null;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: UserPlaceResponse, nullable: true }) branch: UserPlaceResponse | null;
  @ApiProperty({ type: UserPlaceResponse, nullable: true }) unit: UserPlaceResponse | null;
  @ApiProperty({ type: Date, nullable: true }) lastLoginAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreatedUserResponse extends UserResponse {
  @ApiProperty({ required: false, description: 'only when no password was given: the one-time initial password to hand out' })
  initialPassword?: string;

  @ApiProperty({ required: false }) initialPasswordExpiresAt?: Date;
}

export class UserPageResponse extends PageResponse {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
}

export class PasswordResetResponse {
  @ApiProperty() username: string;
  @ApiProperty({ description: 'one-time; the user must replace it at first login' }) initialPassword: string;
  @ApiProperty() expiresAt: Date;
}

export class PreferencesResponse {
  @ApiProperty({ description: 'the weekly mail and notification' }) weeklyDigest: boolean;
}

export class RosterChangeResponse {
  @ApiProperty({ description: 'the row in the file (the header is row 1)' }) row: number;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['create', 'update'] }) action: 'create' | 'update';
  @ApiProperty({ type: [String], description: 'for an update, the fields that change' }) fields: string[];
}

export class RosterErrorResponse {
  @ApiProperty() row: number;
  @ApiProperty() message: string;
}

export class RosterBranchCreatedResponse {
  @ApiProperty({ description: 'the unit’s name' }) unit: string;
  @ApiProperty() name: string;
}

export class RosterCredentialResponse {
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty() initialPassword: string;
}

export class RosterImportResponse {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'true when the changes were written; false for a dry run or a file with bad rows' }) applied: boolean;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: 'csv' | 'xlsx';
  @ApiProperty({ enum: ['utf-8', 'gbk'], nullable: true, description: 'the text encoding a CSV was read in' }) encoding: 'utf-8' | 'gbk' | null;
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: [String] }) unitsCreated: string[];
  @ApiProperty({ type: [RosterBranchCreatedResponse] }) branchesCreated: RosterBranchCreatedResponse[];
  @ApiProperty({ type: [RosterChangeResponse] }) changes: RosterChangeResponse[];
  @ApiProperty({ type: [RosterErrorResponse] }) errors: RosterErrorResponse[];
  @ApiProperty({ type: [RosterCredentialResponse], description: 'initial passwords of the accounts just created, shown once' })
  credentials: RosterCredentialResponse[];
  @ApiProperty({ type: Date, nullable: true }) initialPasswordExpiresAt: Date | null;
}
