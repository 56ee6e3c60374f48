import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';

/**
 * "Everyone in this branch / unit / every secretary" as the department asked it. Kept so that secretaries
 * added later by a roster import are enrolled too while the course is open.
 */
@Entity('enrollment_rules')
@Index('uq_enrollment_rules', ['courseId', 'scope', 'targetId'], { unique: true })
export class EnrollmentRule {
  @IdColumn()
  id: string;

  @RefColumn('course_id')
  courseId: string;

  @Column({ type: 'enum', enum: ['branch', 'unit', 'all'] })
  scope: 'branch' | 'unit' | 'all';

  /** The branch or unit id; 0 for 'all'. */
  @Column({ name: 'target_id', type: 'bigint', unsigned: true, default: 0 })
  targetId: string;

  @CreatedAt()
  createdAt: Date;
}
