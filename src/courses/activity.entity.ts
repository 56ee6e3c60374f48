import { Column, Entity, Index } from 'typeorm';
import { Section } from './section.entity';
import { Course } from './course.entity';
import { IdColumn, RefColumn, Timestamped } from '../database/columns';
import { decimalNumber } from '../database/transformers';
import type { ActivitySettings } from '../access/activity-settings';
import { ACTIVITY_TYPES, type ActivityRow, type ActivityType } from '../access/course-rows';

/** A learning task (学习任务) of one of five types; its type's own settings live in `settings`. */
@Entity('activities')
@Index('idx_activities_course', ['courseId', 'sectionId', 'position'])
@Index('uq_activities_course_content_key', ['courseId', 'contentKey'], { unique: true })
export class Activity extends Timestamped implements ActivityRow {
  @IdColumn()
  id: string;

  @RefColumn('course_id', { references: () => Course })
  courseId: string;

  @RefColumn('section_id', { references: () => Section })
  sectionId: string;

  @Column({ type: 'enum', enum: ACTIVITY_TYPES })
  type: ActivityType;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'boolean', default: true })
  required: boolean;

  @Column({ name: 'credit_hours', type: 'decimal', precision: 5, scale: 1, default: 0, transformer: decimalNumber })
  creditHours: number;

  @Column({ name: 'opens_at', type: 'datetime', precision: 3, nullable: true })
  opensAt: Date | null;

  @Column({ name: 'due_at', type: 'datetime', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ type: 'int', default: 0 })
  position: number;

  /** Type-specific settings (see activity-settings.ts); stored as JSON text so MySQL 8 and MariaDB agree. */
  @Column({ type: 'simple-json' })
  settings: ActivitySettings;

  /** Archived activities keep their learner records but no longer count toward completion. */
  @Column({ name: 'archived_at', type: 'datetime', precision: 3, nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'content_key', type: 'varchar', length: 100, nullable: true })
  contentKey: string | null;
}
