import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, Timestamped } from '../database/columns';
import { decimalNumber } from '../database/transformers';
import type { AssessmentScheme, FrozenNorm, IndicatorEvidence } from './assessment-scheme';
import type { RoundSummary } from './assessment-summary';

/** The department's scheme (考核评估办法) for a year: indicators, weights, grade bands. Rounds copy it. */
@Entity('assessment_schemes')
export class AssessmentSchemeRow {
  @PrimaryColumn({ type: 'smallint', unsigned: true })
  year: number;

  @Column({ type: 'json' })
  scheme: AssessmentScheme;

  @RefColumn('updated_by')
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

export const ROUND_STATES = ['computing', 'computed', 'published', 'failed'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

/**
 * One assessment of every branch for a year. The scheme and the norms it measures against are copied in when
 * the round starts, so later edits change nothing here; `published_year` is set on publishing and unique, so a
 * year has at most one published round.
 */
@Entity('assessment_rounds')
@Index('uq_assessment_rounds_published_year', ['publishedYear'], { unique: true })
@Index('idx_assessment_rounds_year', ['year'])
export class AssessmentRound extends Timestamped {
  @IdColumn()
  id: string;

  @Column({ type: 'smallint', unsigned: true })
  year: number;

  @Column({ name: 'scheme_year', type: 'smallint', unsigned: true })
  schemeYear: number;

  @Column({ type: 'json' })
  scheme: AssessmentScheme;

  @Column({ type: 'json' })
  norms: FrozenNorm[];

  /** The moment the evidence is counted at (the norms' periods begun by then). */
  @Column({ name: 'as_of', type: 'datetime', precision: 3 })
  asOf: Date;

  @Column({ type: 'enum', enum: ROUND_STATES, default: 'computing' })
  state: RoundState;

  /** Branches in the round, and how many of them have their evidence computed. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  total: number;

  @Column({ type: 'int', unsigned: true, default: 0 })
  done: number;

  /** Every branch is listed (and `total` final): only then can the round be complete. */
  @Column({ type: 'boolean', default: false })
  listed: boolean;

  /** Raised by a department retry: the jobs of a new attempt get new ids. */
  @Column({ type: 'smallint', unsigned: true, default: 0 })
  attempt: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @RefColumn('created_by')
  createdBy: string;

  @Column({ name: 'published_year', type: 'smallint', unsigned: true, nullable: true })
  publishedYear: number | null;

  @RefColumn('published_by', { nullable: true })
  publishedBy: string | null;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt: Date | null;

  /** The round-wide figures (grades, each indicator's spread, by unit), written when published. */
  @Column({ type: 'json', nullable: true })
  summary: RoundSummary | null;
}

/**
 * One branch in one round: the automatic indicators' evidence, frozen when its chunk is computed; the total,
 * grade and rank, written once when the round is published.
 */
@Entity('assessment_results')
@Index('idx_assessment_results_chunk', ['roundId', 'seq'])
@Index('idx_assessment_results_unit', ['roundId', 'unitId'])
@Index('idx_assessment_results_rank', ['roundId', 'rank', 'seq'])
export class AssessmentResult {
  @RefColumn('round_id', { primary: true, references: () => AssessmentRound, onDelete: 'CASCADE' })
  roundId: string;

  @RefColumn('branch_id', { primary: true })
  branchId: string;

  /** The branch's place in the round (0-based), which chunk jobs split by. */
  @Column({ type: 'int', unsigned: true })
  seq: number;

  @RefColumn('unit_id')
  unitId: string;

  @Column({ name: 'branch_kind', type: 'varchar', length: 20 })
  branchKind: string;

  @Column({ type: 'json', nullable: true })
  evidence: Record<string, IndicatorEvidence> | null;

  @Column({ name: 'computed_at', type: 'datetime', precision: 3, nullable: true })
  computedAt: Date | null;

  @Column({ type: 'decimal', precision: 5, scale: 2, nullable: true, transformer: decimalNumber })
  score: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  grade: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  rank: number | null;

  @Column({ name: 'unit_rank', type: 'int', unsigned: true, nullable: true })
  unitRank: number | null;
}

/** A unit admin's (or the department's) score for one manual indicator of one branch, with its reason. */
@Entity('assessment_manual_scores')
export class AssessmentManualScore {
  @RefColumn('round_id', { primary: true, references: () => AssessmentRound, onDelete: 'CASCADE' })
  roundId: string;

  @RefColumn('branch_id', { primary: true })
  branchId: string;

  @PrimaryColumn({ name: 'indicator_key', type: 'varchar', length: 40 })
  key: string;

  @Column({ type: 'decimal', precision: 5, scale: 2, transformer: decimalNumber })
  score: number;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @RefColumn('scored_by')
  scoredBy: string;

  @Column({ name: 'scored_at', type: 'datetime', precision: 3 })
  scoredAt: Date;
}

export const ADJUSTMENT_STATES = ['proposed', 'accepted', 'rejected'] as const;
export type AdjustmentState = (typeof ADJUSTMENT_STATES)[number];

/** A proposed change of an automatic indicator's score, with its reason; the department accepts or rejects it. */
@Entity('assessment_adjustments')
@Index('idx_assessment_adjustments_round', ['roundId', 'state'])
@Index('idx_assessment_adjustments_branch', ['roundId', 'branchId', 'key'])
export class AssessmentAdjustment {
  @IdColumn()
  id: string;

  @RefColumn('round_id', { references: () => AssessmentRound, onDelete: 'CASCADE' })
  roundId: string;

  @RefColumn('branch_id')
  branchId: string;

  @Column({ name: 'indicator_key', type: 'varchar', length: 40 })
  key: string;

  @Column({ type: 'decimal', precision: 5, scale: 2, transformer: decimalNumber })
  score: number;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'enum', enum: ADJUSTMENT_STATES, default: 'proposed' })
  state: AdjustmentState;

  @RefColumn('proposed_by')
  proposedBy: string;

  @RefColumn('decided_by', { nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_comment', type: 'varchar', length: 500, nullable: true })
  decisionComment: string | null;

  @CreatedAt()
  createdAt: Date;
}

export const AUDIT_ACTIONS = ['manual', 'proposed', 'accepted', 'rejected', 'published'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Every score entered, adjustment proposed or decided, and the publishing: who, when, from what to what, why. */
@Entity('assessment_audit')
@Index('idx_assessment_audit_round', ['roundId', 'branchId', 'id'])
export class AssessmentAuditEntry {
  @IdColumn()
  id: string;

  @RefColumn('round_id', { references: () => AssessmentRound, onDelete: 'CASCADE' })
  roundId: string;

  @RefColumn('branch_id', { nullable: true })
  branchId: string | null;

  @Column({ name: 'indicator_key', type: 'varchar', length: 40, nullable: true })
  key: string | null;

  @Column({ type: 'enum', enum: AUDIT_ACTIONS })
  action: AuditAction;

  @Column({ name: 'old_score', type: 'decimal', precision: 5, scale: 2, nullable: true, transformer: decimalNumber })
  oldScore: number | null;

  @Column({ name: 'new_score', type: 'decimal', precision: 5, scale: 2, nullable: true, transformer: decimalNumber })
  newScore: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @RefColumn('actor_id')
  actorId: string;

  @CreatedAt()
  createdAt: Date;
}
