import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AccessRepository } from '../access/access.repository';
import { CourseAccessService } from '../access/course-access.service';
import { OrgRepository } from '../org/org.repository';
import { AuthUser, isDepartmentAdmin } from '../common/auth-user';
import { inputException, InputProblem, problem } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { AnswerSurveyDto, CreateSurveyDto } from './dto/survey.dto';
import { SCALE_MAX, Survey, SurveyAnswer, SurveyAnswerValue, SurveyQuestion } from './survey.entity';
import { isDuplicateKey, REQUIRED_PER_COURSE_INDEX, SurveyReader, SurveysRepository } from './surveys.repository';

/** Groups with fewer answers than this are not broken down in the results, so no small group can be singled out. */
export const MIN_GROUP = 5;

export interface SurveyView {
  id: string;
  title: string;
  anonymous: boolean;
  audience: { kind: Survey['audienceKind']; courseId: string | null; unitId: string | null };
  opensAt: Date;
  closesAt: Date;
  open: boolean;
  requiredForCertificate: boolean;
  answerable: boolean;
  questions: SurveyQuestion[];
  authorId: string;
  answered: boolean;
  createdAt: Date;
}

export type SurveyDetail = SurveyView & { myAnswers: SurveyAnswerValue[] | null };

export interface QuestionResult {
  kind: SurveyQuestion['kind'];
  prompt: string;
  answered: number;
  counts: number[];
  mean: number | null;
  texts: string[];
}

export interface SurveyResults {
  surveyId: string;
  responses: number;
  questions: QuestionResult[];
  byUnit: { unitId: string; unitName: string; responses: number; questions: QuestionResult[] }[];
  notBrokenDown: number;
}

/**
 * 调查研究: the department, or an instructor for a course they teach, asks a course's learners, a unit's
 * secretaries or all secretaries. Each addressed person answers once; a named answer may be replaced until
 * the survey closes. An anonymous answer is stored with no user id and only the day: who answered is kept
 * apart (survey_respondents) with nothing that could match them up.
 */
@Injectable()
export class SurveysService {
  constructor(
    private readonly surveys: SurveysRepository,
    private readonly access: CourseAccessService,
    private readonly accessRows: AccessRepository,
    private readonly org: OrgRepository,
    private readonly transactions: Transactions,
  ) {}

  async create(dto: CreateSurveyDto, actor: AuthUser): Promise<SurveyDetail> {
    const problems: InputProblem[] = [];
    const targets = (['courseId', 'unitId', 'all'] as const).filter((key) => dto.audience[key] !== undefined);
    if (targets.length !== 1) problems.push({ field: 'audience', rule: 'oneOfFields', params: { fields: ['courseId', 'unitId', 'all'] }, message: '问卷对象须且只能选择一项：培训班、单位或全体书记' });
    const opensAt = new Date(dto.opensAt);
    const closesAt = new Date(dto.closesAt);
    if (closesAt <= opensAt) problems.push(problem('closesAt', 'after', { field: 'opensAt' }));
    dto.questions.forEach((q, i) => {
      const choice = q.kind === 'single' || q.kind === 'multiple';
      if (choice && !q.options) problems.push(problem(`questions.${i}.options`, 'required'));
      if (!choice && q.options) problems.push({ field: `questions.${i}.options`, rule: 'notApplicable', message: '评分题和简答题不设选项' });
    });
    if (dto.requiredForCertificate && !dto.audience.courseId) {
      problems.push({ field: 'requiredForCertificate', rule: 'notApplicable', message: '只有面向培训班学员的问卷才能设为结业前必答' });
    }
    if (problems.length) throw inputException(problems);

    if (dto.audience.courseId) {
      // The department may ask any course's learners; an instructor only those of a course they teach.
      if (isDepartmentAdmin(actor)) {
        if (!(await this.accessRows.findCourse(dto.audience.courseId))) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
      } else if (actor.role === 'instructor') {
        await this.access.edit(dto.audience.courseId, actor);
      } else {
        throw surveyAuthorsOnly();
      }
    } else {
      if (!isDepartmentAdmin(actor)) throw surveyAuthorsOnly();
      if (dto.audience.unitId && !(await this.org.findUnit(dto.audience.unitId))) {
        throw new NotFoundException({ message: '单位不存在', code: 'UNIT_NOT_FOUND' });
      }
    }
    const courseId = dto.audience.courseId ?? null;
    const required = Boolean(dto.requiredForCertificate && courseId);
    if (required && (await this.surveys.findRequiredOf(courseId!))) throw requiredExists();
    const audienceKind: Survey['audienceKind'] = dto.audience.courseId ? 'course' : dto.audience.unitId ? 'unit' : 'all';
    const row = {
      authorId: actor.id,
      title: dto.title,
      anonymous: dto.anonymous,
      audienceKind,
      courseId,
      unitId: dto.audience.unitId ?? null,
      opensAt,
      closesAt,
      questions: dto.questions.map((q) => ({ kind: q.kind, prompt: q.prompt, options: q.options ?? [], required: q.required })),
      certificateCourseId: required ? courseId : null,
    };
    // Two at once for the same course: the unique key lets one through.
    const saved = await this.surveys.insert(row).catch((error: unknown) => {
      throw isDuplicateKey(error, REQUIRED_PER_COURSE_INDEX) ? requiredExists() : error;
    });
    return this.get(saved.id, actor);
  }

  async list(actor: AuthUser): Promise<{ items: SurveyView[] }> {
    const reader = await this.readerOf(actor);
    const rows = await this.surveys.findVisible(reader);
    const answered = await this.surveys.answeredBy(actor.id, rows.map((r) => r.id));
    return { items: rows.map((s) => view(s, answered.has(s.id), addressedBy(s, actor, reader))) };
  }

  /** One survey; for a named one the caller has answered, their answer too, so that they can edit it. */
  async get(id: string, actor: AuthUser): Promise<SurveyDetail> {
    const reader = await this.readerOf(actor);
    const survey = await this.find(id, reader);
    const answered = (await this.surveys.answeredBy(actor.id, [id])).has(id);
    const myAnswers = answered && !survey.anonymous ? await this.surveys.namedAnswerOf(id, actor.id) : null;
    return { ...view(survey, answered, addressedBy(survey, actor, reader)), myAnswers };
  }

  /**
   * One answer per person. The respondents row is the lock: its primary key lets exactly one of two
   * simultaneous first answers through. An anonymous survey refuses a second answer (409); a named one
   * replaces the earlier answer while the survey is open. After closing nothing is taken, except a first answer
   * to a questionnaire required before a course's certificate: without it that learner could never be certified.
   */
  async answer(id: string, dto: AnswerSurveyDto, actor: AuthUser): Promise<{ surveyId: string; replaced: boolean; late: boolean }> {
    const reader = await this.readerOf(actor);
    const survey = await this.find(id, reader);
    if (!addressedBy(survey, actor, reader)) {
      throw new ForbiddenException({ message: '该问卷不面向你，无需作答', code: 'SURVEY_NOT_ADDRESSED' });
    }
    const now = new Date();
    if (now < survey.opensAt) throw new ConflictException({ message: '问卷尚未开始', code: 'SURVEY_NOT_OPEN' });
    const late = now >= survey.closesAt;
    if (late && !survey.certificateCourseId) throw surveyClosed();
    const answers = checkAnswers(survey.questions, dto.answers);
    // A late anonymous answer is dated to the closing day, among the last answers in time: a date after the
    // close would single it out as a late answerer's, who is known (the certificate issued after it).
    const answeredOn = beijingDay(late && survey.anonymous ? new Date(survey.closesAt.getTime() - 1) : now);
    return this.transactions.run(async (manager) => {
      try {
        await this.surveys.insertRespondent(manager, survey.id, actor.id);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (survey.anonymous) throw new ConflictException({ message: '你已提交过该匿名问卷，不能重复作答', code: 'SURVEY_ALREADY_ANSWERED' });
        if (late) throw surveyClosed();
        const replaced = await this.surveys.replaceNamedAnswer(manager, survey.id, actor.id, answers, answeredOn);
        if (replaced) return { surveyId: survey.id, replaced: true, late: false };
        throw error;
      }
      await this.surveys.insertAnswer(manager, {
        id: randomBytes(16).toString('hex'),
        surveyId: survey.id,
        userId: survey.anonymous ? null : actor.id,
        unitId: actor.unitId,
        answeredOn,
        answers,
      });
      return { surveyId: survey.id, replaced: false, late };
    });
  }

  /** Totals per question and, for units with at least five answers, the same by unit. Its author and the department. */
  async results(id: string, actor: AuthUser): Promise<SurveyResults & { survey: Survey }> {
    const survey = await this.find(id, await this.readerOf(actor));
    if (survey.authorId !== actor.id && !isDepartmentAdmin(actor)) {
      throw new ForbiddenException({ message: '只有问卷发起人和组织部可以查看结果', code: 'NOT_SURVEY_AUTHOR' });
    }
    const rows = await this.surveys.answersOf(id);
    const byUnitRows = new Map<string, SurveyAnswer[]>();
    for (const row of rows) if (row.unitId) byUnitRows.set(row.unitId, [...(byUnitRows.get(row.unitId) ?? []), row]);
    const big = [...byUnitRows].filter(([, group]) => group.length >= MIN_GROUP);
    const { units: names } = await this.org.namesByIds(big.map(([unitId]) => unitId), []);
    const broken = big.reduce((sum, [, group]) => sum + group.length, 0);
    return {
      survey,
      surveyId: id,
      responses: rows.length,
      questions: summarize(survey.questions, rows),
      byUnit: big.map(([unitId, group]) => ({ unitId, unitName: names.get(unitId) ?? '', responses: group.length, questions: summarize(survey.questions, group) })),
      notBrokenDown: rows.length - broken,
    };
  }

  private async readerOf(actor: AuthUser): Promise<SurveyReader> {
    if (isDepartmentAdmin(actor)) return { all: true };
    const learnsIn = await this.surveys.idsOf(this.accessRows.courseIdsLearnedBy(actor.id, true));
    return { userId: actor.id, secretary: actor.role === 'secretary', unitId: actor.unitId, learnsIn };
  }

  private async find(id: string, reader: SurveyReader): Promise<Survey> {
    const survey = await this.surveys.findOneVisible(id, reader);
    if (!survey) throw new NotFoundException({ message: '问卷不存在', code: 'SURVEY_NOT_FOUND' });
    return survey;
  }
}

function surveyAuthorsOnly(): ForbiddenException {
  return new ForbiddenException({ message: '只有组织部或本班授课教师可以发起问卷', code: 'SURVEY_AUTHORS_ONLY' });
}

function surveyClosed(): ConflictException {
  return new ConflictException({ message: '问卷已结束，不能再作答', code: 'SURVEY_CLOSED' });
}

function requiredExists(): ConflictException {
  return new ConflictException({ message: '该培训班已有结业前必答的问卷，每个培训班只能设一份', code: 'SURVEY_REQUIRED_EXISTS' });
}

/**
 * Among those the survey asks: a course's active learners, a unit's secretaries, all secretaries (its author is
 * not, unless also addressed). The department reads every survey and is asked by none.
 */
function addressedBy(survey: Survey, actor: AuthUser, reader: SurveyReader): boolean {
  if ('all' in reader) return false;
  if (survey.audienceKind === 'course') return reader.learnsIn.includes(survey.courseId!);
  if (actor.role !== 'secretary') return false;
  return survey.audienceKind === 'all' || survey.unitId === actor.unitId;
}

function view(s: Survey, answered: boolean, addressed: boolean): SurveyView {
  const now = Date.now();
  const started = s.opensAt.getTime() <= now;
  const closed = now >= s.closesAt.getTime();
  const required = s.certificateCourseId !== null;
  return {
    id: s.id,
    title: s.title,
    anonymous: s.anonymous,
    audience: { kind: s.audienceKind, courseId: s.courseId, unitId: s.unitId },
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    open: started && !closed,
    requiredForCertificate: required,
    answerable: addressed && started && (closed ? required && !answered : !answered || !s.anonymous),
    questions: s.questions,
    authorId: s.authorId,
    answered,
    createdAt: s.createdAt,
  };
}

/** The day in Beijing, the only date an answer keeps. */
function beijingDay(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(at);
}

/** The answers checked against the questions, one per question, in order. */
function checkAnswers(questions: SurveyQuestion[], given: unknown[]): SurveyAnswerValue[] {
  const problems: InputProblem[] = [];
  if (given.length !== questions.length) {
    throw inputException([{ field: 'answers', rule: 'minItems', params: { min: questions.length }, message: `答案须与问卷的 ${questions.length} 道题一一对应` }]);
  }
  const answers = questions.map((q, i): SurveyAnswerValue => {
    const field = `answers.${i}`;
    const value = given[i];
    const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (q.required) problems.push(problem(field, 'required'));
      return null;
    }
    const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < q.options.length;
    if (q.kind === 'single') {
      if (!isIndex(value)) problems.push(problem(field, 'optionIndex', { max: q.options.length - 1 }));
      return value as number;
    }
    if (q.kind === 'multiple') {
      if (!Array.isArray(value) || !value.every(isIndex) || new Set(value).size !== value.length) {
        problems.push(problem(field, 'optionIndexes', { max: q.options.length - 1 }));
      }
      return value as number[];
    }
    if (q.kind === 'scale') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > SCALE_MAX) problems.push({ field, rule: 'max', params: { min: 1, max: SCALE_MAX }, message: `第${i + 1}题须为 1 到 ${SCALE_MAX} 的评分` });
      return value as number;
    }
    if (typeof value !== 'string') problems.push(problem(field, 'string'));
    else if (value.length > 5000) problems.push(problem(field, 'maxLength', { max: 5000 }));
    return typeof value === 'string' ? value.trim() : null;
  });
  if (problems.length) throw inputException(problems);
  return answers;
}

function summarize(questions: SurveyQuestion[], rows: SurveyAnswer[]): QuestionResult[] {
  return questions.map((q, i) => {
    const values = rows.map((r) => r.answers[i]).filter((v) => v !== null && v !== undefined);
    const size = q.kind === 'scale' ? SCALE_MAX : q.options.length;
    const counts = q.kind === 'text' ? [] : new Array<number>(size).fill(0);
    for (const v of values) {
      if (q.kind === 'single') counts[v as number] += 1;
      if (q.kind === 'multiple') for (const index of v as number[]) counts[index] += 1;
      if (q.kind === 'scale') counts[(v as number) - 1] += 1;
    }
    const mean = q.kind === 'scale' && values.length ? Math.round((values.reduce<number>((s, v) => s + (v as number), 0) / values.length) * 100) / 100 : null;
    return { kind: q.kind, prompt: q.prompt, answered: values.length, counts, mean, texts: q.kind === 'text' ? (values as string[]) : [] };
  });
}
