import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ATTENDANCE_STATUSES, AttendanceStatus } from '../attendance.entity';
import { ID_PATTERN } from '../../common/id.pipe';

export class CheckInDto {
  @ApiProperty({ example: '042917', description: 'the six-digit code on the projector (or in its QR)' })
  @IsString()
  @Matches(/^\d{6}$/)
  code: string;
}

export class OpenCheckInDto {
  @ApiProperty() @IsBoolean() open: boolean;
}

export class MarkAttendanceDto {
  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
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
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

/** API.md's bulk form: these learners were (or were not) there. */
export class MarkManyDto {
  @ApiProperty({ type: [String], example: ['12', '13'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true })
  userIds: string[];

  @ApiProperty({ description: 'true: present; false: absent' })
  @IsBoolean()
  present: boolean;
}
