import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { BankQuestion } from './bank-question.entity';

type QuestionValues = Pick<BankQuestion, 'key' | 'tags' | 'question'>;

/** A course's question bank (题库). */
@Injectable()
export class BankQuestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, manager?: EntityManager): Promise<BankQuestion | null> {
    return (manager ?? this.dataSource.manager).findOneBy(BankQuestion, { id });
  }

  /** The course's questions in id order: all of them, or only the live (not archived) ones. */
  async findByCourse(courseId: string, only: 'live' | 'all', manager?: EntityManager): Promise<BankQuestion[]> {
    return (manager ?? this.dataSource.manager).find(BankQuestion, {
      where: { courseId, ...(only === 'live' ? { archivedAt: IsNull() } : {}) },
      order: { id: 'ASC' },
    });
  }

  /** Stores a new question; a key the course already uses fails on the unique key. */
  async create(courseId: string, values: QuestionValues, manager?: EntityManager): Promise<BankQuestion> {
    return (manager ?? this.dataSource.manager).save(BankQuestion, { courseId, ...values, archivedAt: null });
  }

  async update(manager: EntityManager, id: string, values: Partial<QuestionValues> & { archivedAt?: Date | null }): Promise<void> {
    await manager.update(BankQuestion, { id }, values);
  }
}
