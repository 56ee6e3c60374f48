import { Column, Entity, Index } from 'typeorm';
import { LearnerWorkRow } from '../courses/learner-rows';
import { RefColumn, UpdatedAt } from '../database/columns';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** One learner at one in-person session: checked in by code, or marked by hand (请假 with a reason). */
@Entity('attendance')
@Index('uq_attendance_activity_user', ['activityId', 'userId'], { unique: true })
export class Attendance extends LearnerWorkRow {
  @Column({ type: 'enum', enum: ATTENDANCE_STATUSES })
  status: AttendanceStatus;

  @Column({ type: 'enum', enum: ['code', 'manual'] })
  method: 'code' | 'manual';

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @RefColumn('recorded_by')
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
