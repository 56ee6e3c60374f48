import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { Survey, SurveyAnswer, SurveyAnswerValue, SurveyRespondent } from './survey.entity';

/** Whom a reader is: the department sees every survey, others those aimed at them or their own. */
export type SurveyReader = { all: true } | { userId: string; secretary: boolean; unitId: string | null; learnsIn: string[] };

/** A unique key refused the row: this person has already answered. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY';
}

/** The surveys, survey_respondents and survey_answers tables. */
@Injectable()
export class SurveysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(row: Omit<Survey, 'id' | 'createdAt'>): Promise<Survey> {
    return this.dataSource.getRepository(Survey).save(row);
  }

  /** Newest first. */
  findVisible(reader: SurveyReader): Promise<Survey[]> {
    return this.visibleTo(reader).orderBy('s.id', 'DESC').getMany();
  }

  findOneVisible(id: string, reader: SurveyReader): Promise<Survey | null> {
    return this.visibleTo(reader).andWhere('s.id = :id', { id }).getOne();
  }

  /** Runs another module's subquery (its SQL stays in its own repository) and returns the ids it selects. */
  async idsOf(subquery: Subquery): Promise<string[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(subquery.sql, subquery.params);
    return rows.map((row) => String(Object.values(row)[0]));
  }

  /** Of these surveys, the ones the person has answered. */
  async answeredBy(userId: string, surveyIds: string[]): Promise<Set<string>> {
    if (!surveyIds.length) return new Set();
    const rows: { survey_id: string }[] = await this.dataSource.query('SELECT survey_id FROM survey_respondents WHERE user_id = ? AND survey_id IN (?)', [
      userId,
      surveyIds,
    ]);
    return new Set(rows.map((r) => String(r.survey_id)));
  }

  /** Marks the person as having answered; a second time fails with a duplicate key (see isDuplicateKey). */
  async insertRespondent(manager: EntityManager, surveyId: string, userId: string): Promise<void> {
    await manager.getRepository(SurveyRespondent).insert({ surveyId, userId });
  }

  async insertAnswer(manager: EntityManager, row: SurveyAnswer): Promise<void> {
    await manager.getRepository(SurveyAnswer).insert(row);
  }

  /** A named survey's earlier answer is replaced in place; returns false when there was none. */
  async replaceNamedAnswer(manager: EntityManager, surveyId: string, userId: string, answers: SurveyAnswerValue[], answeredOn: string): Promise<boolean> {
    const result = await manager.getRepository(SurveyAnswer).update({ surveyId, userId }, { answers, answeredOn });
    return (result.affected ?? 0) > 0;
  }

  /** The person's own answer to a named survey (an anonymous one has none to find). */
  async namedAnswerOf(surveyId: string, userId: string): Promise<SurveyAnswerValue[] | null> {
    const row = await this.dataSource.getRepository(SurveyAnswer).findOne({ where: { surveyId, userId }, select: { id: true, answers: true } });
    return row?.answers ?? null;
  }

  answersOf(surveyId: string): Promise<SurveyAnswer[]> {
    return this.dataSource.getRepository(SurveyAnswer).find({ where: { surveyId } });
  }

  private visibleTo(reader: SurveyReader): SelectQueryBuilder<Survey> {
    const query = this.dataSource.getRepository(Survey).createQueryBuilder('s').where('1 = 1');
    if ('all' in reader) return query;
    const addressed = ['s.author_id = :me'];
    if (reader.learnsIn.length) addressed.push("(s.audience_kind = 'course' AND s.course_id IN (:...courses))");
    if (reader.secretary) {
      addressed.push("s.audience_kind = 'all'");
      if (reader.unitId) addressed.push("(s.audience_kind = 'unit' AND s.unit_id = :unit)");
    }
    return query.andWhere(`(${addressed.join(' OR ')})`, { me: reader.userId, unit: reader.unitId, courses: reader.learnsIn });
  }
}
