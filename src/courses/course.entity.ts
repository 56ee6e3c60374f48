import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';
import { COURSE_STATUSES, MAKE_UP_POLICIES, type CourseRow, type CourseStatus, type MakeUpPolicy } from '../access/course-rows';

/** A training class (培训班): one run of the curriculum over a training period. */
@Entity('courses')
@Index('idx_courses_status_ends', ['status', 'endsAt'])
export class Course implements CourseRow {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'starts_at', type: 'datetime', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'datetime', precision: 3 })
  endsAt: Date;

  /** 补学: days after endsAt during which learners may still catch up before the course closes. */
  @Column({ name: 'grace_days', type: 'smallint', unsigned: true, default: 0 })
  graceDays: number;

  @Column({ name: 'make_up_policy', type: 'enum', enum: MAKE_UP_POLICIES, default: 'until_end' })
  makeUpPolicy: MakeUpPolicy;

  /** The make-up deadline when makeUpPolicy is `until`; null otherwise. */
  @Column({ name: 'make_up_until', type: 'datetime', precision: 3, nullable: true })
  makeUpUntil: Date | null;

  @Column({ name: 'required_credit_hours', type: 'decimal', precision: 6, scale: 1, default: 0, transformer: decimalNumber })
  requiredCreditHours: number;

  @Column({ name: 'required_sessions', type: 'smallint', unsigned: true, default: 0 })
  requiredSessions: number;

  @Column({ type: 'enum', enum: COURSE_STATUSES, default: 'draft' })
  status: CourseStatus;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;

  /** Set when the course comes from content/ (curriculum as code): the import's stable key. */
  @Column({ name: 'content_key', type: 'varchar', length: 100, nullable: true, unique: true })
  contentKey: string | null;

  @RefColumn('created_by', { nullable: true })
  createdBy: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
