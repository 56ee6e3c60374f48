import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { UpdatedAt } from '../database/columns';
import { User } from '../users/user.entity';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** One learner at one in-person session: checked in by code, or marked by hand (请假 with a reason). */
@Entity('attendance')
@Index('uq_attendance_activity_user', ['activityId', 'userId'], { unique: true })
export class Attendance {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'activity_id', type: 'bigint', unsigned: true })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'activity_id' })
  activity?: Activity;

  @Column({ name: 'course_id', type: 'bigint', unsigned: true })
  courseId: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: ATTENDANCE_STATUSES })
  status: AttendanceStatus;

  @Column({ type: 'enum', enum: ['code', 'manual'] })
  method: 'code' | 'manual';

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'recorded_by', type: 'bigint', unsigned: true })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
