import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { User } from '../users/user.entity';

export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const AUDIENCE_KINDS = ['course', 'unit', 'all'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];
/** Scale questions are rated 1 to SCALE_MAX. */
export const SCALE_MAX = 5;

export interface SurveyQuestion {
  kind: QuestionKind;
  prompt: string;
  /** The choices of a single or multiple choice question; none for scale and text. */
  options: string[];
  required: boolean;
}

/** 调查研究: a questionnaire of the department, or of an instructor for their course. */
@Entity('surveys')
@Index('idx_surveys_author', ['authorId'])
@Index('uq_surveys_certificate_course', ['certificateCourseId'], { unique: true })
export class Survey {
  @IdColumn()
  id: string;

  @RefColumn('author_id', { references: () => User })
  authorId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'boolean', default: false })
  anonymous: boolean;

  @Column({ name: 'audience_kind', type: 'enum', enum: AUDIENCE_KINDS })
  audienceKind: AudienceKind;

  @RefColumn('course_id', { nullable: true })
  courseId: string | null;

  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @Column({ name: 'opens_at', type: 'datetime', precision: 3 })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'datetime', precision: 3 })
  closesAt: Date;

  @Column({ type: 'json' })
  questions: SurveyQuestion[];

  /**
   * Set (to course_id) when the course's learners must answer this questionnaire before its certificate is
   * issued; null otherwise. Unique, so a course has at most one required questionnaire.
   */
  @RefColumn('certificate_course_id', { nullable: true })
  certificateCourseId: string | null;

  @CreatedAt()
  createdAt: Date;
}

/**
 * Who has answered a survey, only so that each answers once: no id, no timestamp, nothing that orders or
 * dates the row, so it cannot be matched with an anonymous answer.
 */
@Entity('survey_respondents')
export class SurveyRespondent {
  @RefColumn('survey_id', { primary: true, references: () => Survey, onDelete: 'CASCADE' })
  surveyId: string;

  @RefColumn('user_id', { primary: true })
  userId: string;
}

/**
 * One person's answers. Keyed by a random id (not an auto-increment, whose order would follow the
 * respondents'), dated to the day only; user_id is set for named surveys and always null for anonymous ones.
 * unit_id is the respondent's unit, for the by-unit breakdown (shown only for groups of five or more).
 */
@Entity('survey_answers')
@Index('uq_survey_answers_named', ['surveyId', 'userId'], { unique: true })
export class SurveyAnswer {
  @PrimaryColumn({ type: 'char', length: 32 })
  id: string;

  @RefColumn('survey_id', { references: () => Survey, onDelete: 'CASCADE' })
  surveyId: string;

  @RefColumn('user_id', { nullable: true })
  userId: string | null;

  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @Column({ name: 'answered_on', type: 'date' })
  answeredOn: string;

  /** One entry per question, in order: an option index, option indexes, a rating, a text, or null. */
  @Column({ type: 'json' })
  answers: SurveyAnswerValue[];
}

export type SurveyAnswerValue = number | number[] | string | null;
