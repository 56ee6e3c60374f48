import { ApiProperty } from '@nestjs/swagger';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../attendance.entity';

export class CheckInOpenResponse {
  @ApiProperty() open: boolean;
}

export class CheckInStatusResponse {
  @ApiProperty() open: boolean;
  @ApiProperty({ description: 'marked present so far' }) present: number;
}

export class CheckInCodeResponse {
  @ApiProperty({ description: 'changes every 15 s; the previous one is accepted for one more slot' }) code: string;
  @ApiProperty({ description: 'the page a learner opens to check in with this code' }) link: string;
  @ApiProperty({ description: 'the link as a QR code (PNG data URL)' }) qr: string;
  @ApiProperty() expiresInSeconds: number;
  @ApiProperty({ description: 'the last moment the code is accepted' }) validUntil: Date;
  @ApiProperty() serverNow: Date;
}

export class CheckInResponse {
  @ApiProperty({ enum: ['present'] }) status: 'present';
  @ApiProperty() recordedAt: Date;
  @ApiProperty({ description: 'the learner had checked in before: nothing changed' }) alreadyCheckedIn: boolean;
}

export class AttendanceMarkedResponse {
  @ApiProperty() updated: number;
  @ApiProperty({ enum: ['present', 'absent'] }) status: 'present' | 'absent';
}

export class AttendanceRecordResponse {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiProperty({ enum: ['code', 'manual'] }) method: 'code' | 'manual';
  @ApiProperty({ type: String, nullable: true, description: 'why excused (请假)' }) reason: string | null;
  @ApiProperty({ description: 'who recorded it' }) recordedBy: string;
  @ApiProperty() recordedAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class AttendanceUserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) branch: string | null;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
}

export class AttendanceRowResponse {
  @ApiProperty({ type: AttendanceUserResponse }) user: AttendanceUserResponse;
  @ApiProperty({ enum: ATTENDANCE_STATUSES, nullable: true, description: 'null: not recorded yet' }) status: AttendanceStatus | null;
  @ApiProperty({ enum: ['code', 'manual'], nullable: true }) method: 'code' | 'manual' | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: Date, nullable: true }) recordedAt: Date | null;
}
