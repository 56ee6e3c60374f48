import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
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
