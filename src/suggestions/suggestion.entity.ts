import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { User } from '../users/user.entity';

export const SUGGESTION_STATUSES = ['received', 'adopted', 'answered'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** 建言献策: a suggestion to the department, optionally about a course, optionally anonymous to all but the department. */
@Entity('suggestions')
@Index('idx_suggestions_unit_status', ['unitId', 'status'])
@Index('idx_suggestions_author', ['authorId'])
export class Suggestion {
  @IdColumn()
  id: string;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  /** The author's unit when it was written, so unit admins see their unit's suggestions. */
  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @RefColumn('course_id', { nullable: true })
  courseId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'boolean', default: false })
  anonymous: boolean;

  @Column({ type: 'enum', enum: SUGGESTION_STATUSES, default: 'received' })
  status: SuggestionStatus;

  @Column({ type: 'text', nullable: true })
  reply: string | null;

  @Column({ name: 'replied_at', type: 'datetime', precision: 3, nullable: true })
  repliedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
