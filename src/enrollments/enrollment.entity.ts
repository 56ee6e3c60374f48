import { Column, Entity, Index } from 'typeorm';
import { CourseLearnerRow } from '../courses/learner-rows';
import { CreatedAt, UpdatedAt } from '../database/columns';

export const ENROLLMENT_SOURCES = ['user', 'branch', 'unit', 'all', 'roster'] as const;
export type EnrollmentSource = (typeof ENROLLMENT_SOURCES)[number];

/** A secretary in a course. Withdrawal keeps the row (and the learner's record). */
@Entity('enrollments')
@Index('uq_enrollments_course_user', ['courseId', 'userId'], { unique: true })
@Index('idx_enrollments_user', ['userId'])
export class Enrollment extends CourseLearnerRow {
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
