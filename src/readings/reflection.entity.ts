import { Column, Entity, Index } from 'typeorm';
import { ReviewedLearnerWorkRow } from '../courses/learner-rows';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

export const REFLECTION_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReflectionStatus = (typeof REFLECTION_STATUSES)[number];

/** A learner's reflection (心得体会) on a reading: one per learner and reading, revised until approved. */
@Entity('reflections')
@Index('uq_reflections_activity_user', ['activityId', 'userId'], { unique: true })
@Index('idx_reflections_activity_status', ['activityId', 'status'])
export class Reflection extends ReviewedLearnerWorkRow {
  /** Markdown as written; shown as sanitized HTML. */
  @Column({ type: 'mediumtext' })
  body: string;

  /** Characters that count toward the minimum: Markdown syntax and whitespace left out. */
  @Column({ name: 'char_count', type: 'int', unsigned: true })
  charCount: number;

  @Column({ type: 'enum', enum: REFLECTION_STATUSES })
  status: ReflectionStatus;

  @Column({ type: 'text', nullable: true })
  feedback: string | null;

  /** 优秀心得: shown to the course as an example when the author agreed. */
  @Column({ type: 'boolean', default: false })
  excellent: boolean;

  @Column({ name: 'share_consent', type: 'boolean', default: false })
  shareConsent: boolean;

  /** 64-bit SimHash of character shingles, as a decimal string, for finding near-copies. */
  @Column({ type: 'bigint', unsigned: true, default: 0 })
  simhash: string;

  /** The closest match found at submission: 'reading' or a reflection id, with its similarity (0–1). */
  @Column({ name: 'copy_source', type: 'varchar', length: 40, nullable: true })
  copySource: string | null;

  @Column({ name: 'copy_similarity', type: 'decimal', precision: 4, scale: 3, nullable: true, transformer: decimalNumber })
  copySimilarity: number | null;
}

/** Every submitted version and every review, kept so a returned-and-revised reflection shows its history. */
@Entity('reflection_revisions')
@Index('idx_reflection_revisions_reflection', ['reflectionId'])
export class ReflectionRevision {
  @IdColumn()
  id: string;

  @RefColumn('reflection_id', { references: () => Reflection, onDelete: 'CASCADE' })
  reflectionId: string;

  @Column({ type: 'enum', enum: ['submitted', 'returned', 'approved'] })
  event: 'submitted' | 'returned' | 'approved';

  @Column({ type: 'mediumtext', nullable: true })
  body: string | null;

  @Column({ type: 'text', nullable: true })
  feedback: string | null;

  @RefColumn('actor_id')
  actorId: string;

  @CreatedAt()
  createdAt: Date;
}
