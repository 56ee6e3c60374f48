import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../database/columns';
import { User } from '../users/user.entity';

export const SUGGESTION_STATUSES = ['received', 'adopted', 'answered'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** 建言献策: a suggestion to the department, optionally about a course, optionally anonymous to all but the department. */
@Entity('suggestions')
@Index('idx_suggestions_unit_status', ['unitId', 'status'])
@Index('idx_suggestions_author', ['authorId'])
export class Suggestion {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'author_id', type: 'bigint', unsigned: true })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: User;

  /** The author's unit when it was written, so unit admins see their unit's suggestions. */
  @Column({ name: 'unit_id', type: 'bigint', unsigned: true, nullable: true })
  unitId: string | null;

  @Column({ name: 'course_id', type: 'bigint', unsigned: true, nullable: true })
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
