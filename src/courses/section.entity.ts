import { Column, Entity, Index } from 'typeorm';
import { Course } from './course.entity';
import { IdColumn, RefColumn, Timestamped } from '../database/columns';

/** A part of the plan, usually one month of the study schedule (学习安排表). */
@Entity('sections')
@Index('idx_sections_course_position', ['courseId', 'position'])
export class Section extends Timestamped {
  @IdColumn()
  id: string;

  @RefColumn('course_id', { references: () => Course })
  courseId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int', default: 0 })
  position: number;

  @Column({ name: 'content_key', type: 'varchar', length: 100, nullable: true })
  contentKey: string | null;
}
