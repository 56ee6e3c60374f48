import { Column, Entity, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Course } from '../courses/course.entity';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';

export const ENROLLMENT_SOURCES = ['user', 'branch', 'unit', 'all', 'roster'] as const;
export type EnrollmentSource = (typeof ENROLLMENT_SOURCES)[number];

/** A secretary in a course. Withdrawal keeps the row (and the learner's record). */
@Entity('enrollments')
@Index('uq_enrollments_course_user', ['courseId', 'userId'], { unique: true })
@Index('idx_enrollments_user', ['userId'])
export class Enrollment {
  @IdColumn()
  id: string;

  @RefColumn('course_id', { references: () => Course })
  courseId: string;

  @RefColumn('user_id', { references: () => User })
  userId: string;

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
