import { Column, Entity } from 'typeorm';
import { CreatedAt, RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/** The frozen snapshot taken when a course closes: what reports and certificates use from then on. */
@Entity('course_results')
export class CourseResult {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @RefColumn('user_id', { primary: true })
  userId: string;

  @Column({ name: 'required_done', type: 'int', unsigned: true })
  requiredDone: number;

  @Column({ name: 'required_total', type: 'int', unsigned: true })
  requiredTotal: number;

  @Column({ name: 'credit_hours', type: 'decimal', precision: 7, scale: 1, transformer: decimalNumber })
  creditHours: number;

  @Column({ name: 'sessions_attended', type: 'int', unsigned: true })
  sessionsAttended: number;

  @Column({ type: 'boolean' })
  completed: boolean;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;

  /** The earliest due date of a required activity the learner had not completed at closing (CourseProgress). */
  @Column({ name: 'first_missing_due_at', type: 'datetime', precision: 3, nullable: true })
  firstMissingDueAt: Date | null;

  @Column({ name: 'made_up_count', type: 'int', unsigned: true, default: 0 })
  madeUpCount: number;

  @CreatedAt()
  frozenAt: Date;
}
