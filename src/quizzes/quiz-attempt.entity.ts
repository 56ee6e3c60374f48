import { Column, Entity, Index } from 'typeorm';
import { LearnerWorkRow } from '../courses/learner-rows';
import { CreatedAt, UpdatedAt } from '../database/columns';
import { decimalNumber, jsonText } from '../database/transformers';
import type { AskedQuestion } from './question-draw';

export const ATTEMPT_STATUSES = ['open', 'submitted', 'expired'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** What the learner was shown: indexes into the attempt's questions in order, each with its option order (for shuffling). */
export type AttemptLayout = { question: number; options: number[] | null }[];
/** Saved answers by question index: an option index, option indexes, a boolean or text. */
export type AttemptAnswers = Record<string, number | number[] | boolean | string>;

/**
 * One try at a quiz. The (activity, learner, number) key makes "no more attempts than allowed" hold even
 * when two starts race; the deadline is the server's, never the browser's.
 */
@Entity('quiz_attempts')
@Index('uq_quiz_attempts_number', ['activityId', 'userId', 'number'], { unique: true })
@Index('idx_quiz_attempts_activity_status', ['activityId', 'status'])
export class QuizAttempt extends LearnerWorkRow {
  @Column({ type: 'smallint', unsigned: true })
  number: number;

  @Column({ type: 'enum', enum: ATTEMPT_STATUSES, default: 'open' })
  status: AttemptStatus;

  @Column({ type: 'simple-json' })
  layout: AttemptLayout;

  /**
   * The questions this attempt asks, answers included (never sent before submission): the quiz's own and
   * those drawn from the bank at start. Null for attempts started before question banks, which ask the
   * quiz's own questions.
   */
  @Column({ type: 'mediumtext', nullable: true, transformer: jsonText })
  questions: AskedQuestion[] | null;

  @Column({ type: 'simple-json' })
  answers: AttemptAnswers;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt: Date;

  /** The time limit or the activity's due date, whichever comes first; null when neither applies. */
  @Column({ name: 'deadline_at', type: 'datetime', precision: 3, nullable: true })
  deadlineAt: Date | null;

  @Column({ name: 'submitted_at', type: 'datetime', precision: 3, nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'decimal', precision: 7, scale: 2, nullable: true, transformer: decimalNumber })
  score: number | null;

  @Column({ name: 'max_score', type: 'decimal', precision: 7, scale: 2, nullable: true, transformer: decimalNumber })
  maxScore: number | null;

  @Column({ type: 'boolean', nullable: true })
  passed: boolean | null;

  /** Per question (by index): whether the answer was right; for item statistics. */
  @Column({ type: 'simple-json', nullable: true })
  results: Record<string, boolean> | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
