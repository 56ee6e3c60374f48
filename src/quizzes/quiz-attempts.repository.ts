import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QuizAttempt } from './quiz-attempt.entity';

/** Learners' quiz attempts. */
@Injectable()
export class QuizAttemptsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(attemptId: string): Promise<QuizAttempt | null> {
    return this.dataSource.getRepository(QuizAttempt).findOneBy({ id: attemptId });
  }

  async findOpen(activityId: string, userId: string): Promise<QuizAttempt | null> {
    return this.dataSource.getRepository(QuizAttempt).findOneBy({ activityId, userId, status: 'open' });
  }

  async countUsed(activityId: string, userId: string): Promise<number> {
    return this.dataSource.getRepository(QuizAttempt).countBy({ activityId, userId });
  }

  /** The learner's attempts at one quiz, in order. */
  async findByLearner(activityId: string, userId: string): Promise<QuizAttempt[]> {
    return this.dataSource.getRepository(QuizAttempt).find({ where: { activityId, userId }, order: { number: 'ASC' } });
  }

  /** Stores a new attempt; a second attempt of the same number fails on the unique key (two starts raced). */
  async create(values: Pick<QuizAttempt, 'activityId' | 'courseId' | 'userId' | 'number' | 'status' | 'layout' | 'questions' | 'answers' | 'startedAt' | 'deadlineAt'>): Promise<QuizAttempt> {
    return this.dataSource.getRepository(QuizAttempt).save(values);
  }

  /** The attempt, locked, for a write that must see the latest answers and status. */
  async lock(manager: EntityManager, attemptId: string): Promise<QuizAttempt> {
    return manager.createQueryBuilder(QuizAttempt, 'a').setLock('pessimistic_write').where('a.id = :id', { id: attemptId }).getOneOrFail();
  }

  async update(manager: EntityManager, attemptId: string, values: Partial<QuizAttempt>): Promise<void> {
    await manager.update(QuizAttempt, { id: attemptId }, values);
  }

  /** The graded attempts of a quiz, all or those among `within` (a subquery of user ids), for its statistics. */
  async findGraded(activityId: string, within?: { sql: string; params: unknown[] }): Promise<{ results: string | null; passed: number | null; questions: string | null }[]> {
    return this.dataSource.query(
      `SELECT qa.results, qa.passed, qa.questions FROM quiz_attempts qa
        WHERE qa.activity_id = ? AND qa.status <> 'open' ${within ? `AND qa.user_id IN (${within.sql})` : ''}`,
      [activityId, ...(within?.params ?? [])],
    );
  }
}
