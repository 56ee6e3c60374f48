import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { Survey, SurveyAnswer, SurveyAnswerValue, SurveyRespondent } from './survey.entity';

/** Whom a reader is: the department sees every survey, others those aimed at them or their own. */
export type SurveyReader = { all: true } | { userId: string; secretary: boolean; unitId: string | null; learnsIn: string[] };

/** A unique key refused the row: this person has already answered. */
export function isDuplicateKey(error: unknown, index?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; sqlMessage?: string };
  return driverError.code === 'ER_DUP_ENTRY' && (!index || Boolean(driverError.sqlMessage?.includes(index)));
}

/** The unique key that keeps a course to one questionnaire required before its certificate. */
export const REQUIRED_PER_COURSE_INDEX = 'uq_surveys_certificate_course';

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

  /** The course's questionnaire required before its certificate, if it has one. */
  findRequiredOf(courseId: string): Promise<Survey | null> {
    return this.dataSource.getRepository(Survey).findOneBy({ certificateCourseId: courseId });
  }

  /** The required questionnaires of these courses, by course id. */
  async findRequiredOfCourses(courseIds: string[]): Promise<Map<string, Survey>> {
    if (!courseIds.length) return new Map();
    const rows = await this.dataSource.getRepository(Survey).findBy({ certificateCourseId: In(courseIds) });
    return new Map(rows.map((s) => [s.certificateCourseId!, s]));
  }

  /**
   * Of the learners another module's subquery selects (any columns, `user_id` among them), those who owe the
   * course's required questionnaire nothing: the course has none, or they are among its respondents. Only
   * survey_respondents is read, so an anonymous questionnaire stays anonymous.
   */
  answeredRequired(courseId: string, learners: Subquery): Subquery {
    return {
      sql: `SELECT l.* FROM (${learners.sql}) l WHERE NOT EXISTS (
              SELECT 1 FROM surveys rq WHERE rq.certificate_course_id = ?
                 AND NOT EXISTS (SELECT 1 FROM survey_respondents rr WHERE rr.survey_id = rq.id AND rr.user_id = l.user_id))`,
      params: [...learners.params, courseId],
    };
  }

  /** Who has answered the survey (`user_id`), from survey_respondents: never a link to an answer. */
  respondentIds(surveyId: string): Subquery {
    return { sql: `SELECT sr.user_id FROM survey_respondents sr WHERE sr.survey_id = ?`, params: [surveyId] };
  }

  /**
   * Surveys open at `now` whose people may be reminded: named ones, and questionnaires required before a
   * certificate (anonymous or not: who answered is known, what they answered is not).
   */
  findRemindable(now: Date): Promise<Survey[]> {
    return this.dataSource
      .getRepository(Survey)
      .createQueryBuilder('s')
      .where('s.opensAt <= :now AND s.closesAt > :now', { now })
      .andWhere('(s.anonymous = 0 OR s.certificateCourseId IS NOT NULL)')
      .orderBy('s.id')
      .getMany();
  }

  findById(id: string): Promise<Survey | null> {
    return this.dataSource.getRepository(Survey).findOneBy({ id });
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
