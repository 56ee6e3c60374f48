import { Column, Entity, Index } from 'typeorm';
import { Course } from '../courses/course.entity';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import type { Question } from './question-draw';

/**
 * A question in a course's question bank (题库). Quizzes pick bank questions by `key` or draw them at random
 * by tag; each attempt keeps a copy of what it asked, so editing or archiving a question never changes an
 * attempt already started or graded. Archived questions are kept (attempts and statistics refer to them).
 */
@Entity('quiz_bank_questions')
@Index('uq_quiz_bank_questions_key', ['courseId', 'key'], { unique: true })
export class BankQuestion {
  @IdColumn()
  id: string;

  @RefColumn('course_id', { references: () => Course })
  courseId: string;

  /** The question's identity within the course: quizzes and content files refer to it. */
  @Column({ type: 'varchar', length: 80 })
  key: string;

  @Column({ type: 'simple-json' })
  tags: string[];

  /** The question as written: kind, prompt, options, answer, points, explanation. */
  @Column({ type: 'simple-json' })
  question: Question;

  @Column({ name: 'archived_at', type: 'datetime', precision: 3, nullable: true })
  archivedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
