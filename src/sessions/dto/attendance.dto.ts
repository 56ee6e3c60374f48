import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ATTENDANCE_STATUSES, AttendanceStatus } from '../attendance.entity';

export class CheckInDto {
  @ApiProperty({ example: '042917', description: 'the six-digit code on the projector (or in its QR)' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the six digits shown' })
  code: string;
}

export class OpenCheckInDto {
  @ApiProperty() @IsBoolean() open: boolean;
}

export class MarkAttendanceDto {
  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES, { message: `status must be one of: ${ATTENDANCE_STATUSES.join(', ')}` })
  status: AttendanceStatus;

  @ApiPropertyOptional({ description: 'required for excused (请假)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AttendanceListQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'format must be json, csv or xlsx' })
  format?: 'json' | 'csv' | 'xlsx';
}

/** API.md's bulk form: these learners were (or were not) there. */
export class MarkManyDto {
  @ApiProperty({ type: [String], example: ['12', '13'] })
  @IsArray({ message: 'userIds must be an array of user ids' })
  @ArrayMinSize(1, { message: 'userIds must name at least one user' })
  @ArrayMaxSize(1000)
  @Matches(/^[1-9]\d{0,18}$/, { each: true, message: 'userIds must be numeric ids' })
  userIds: string[];

  @ApiProperty({ description: 'true: present; false: absent' })
  @IsBoolean({ message: 'present must be true or false' })
  present: boolean;
}
