import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { Course } from '../courses/course.entity';
import { CreatedAt, UpdatedAt } from '../database/columns';

export const ENROLLMENT_SOURCES = ['user', 'branch', 'unit', 'all', 'roster'] as const;
export type EnrollmentSource = (typeof ENROLLMENT_SOURCES)[number];

/** A secretary in a course. Withdrawal keeps the row (and the learner's record). */
@Entity('enrollments')
@Index('uq_enrollments_course_user', ['courseId', 'userId'], { unique: true })
@Index('idx_enrollments_user', ['userId'])
export class Enrollment {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'course_id', type: 'bigint', unsigned: true })
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: ['active', 'withdrawn'], default: 'active' })
  status: 'active' | 'withdrawn';

  @Column({ type: 'enum', enum: ENROLLMENT_SOURCES })
  source: EnrollmentSource;

  @Column({ name: 'enrolled_at', type: 'datetime', precision: 3 })
  enrolledAt: Date;

  @Column({ name: 'withdrawn_at', type: 'datetime', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
