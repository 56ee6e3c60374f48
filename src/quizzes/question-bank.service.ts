import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import type { Page } from '../common/pagination';
import { inputException, problem, zodProblems } from '../common/validation-errors';
import { bankQuestionSchema, type BankQuestionInput, type QuizSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { Transactions } from '../database/transactions';
import { BankQuestion } from './bank-question.entity';
import { BankQuestionsRepository } from './bank-questions.repository';
import type { BankListQuery } from './dto/bank-question.dto';
import { bankProblems, type BankEntry } from './question-draw';

export interface BankQuestionView extends BankQuestionInput {
  id: string;
  courseId: string;
  archivedAt: Date | null;
  updatedAt: Date;
}

export interface BankTally {
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
}

/**
 * A course's question bank (题库), kept by its instructors and the department. Answers are in every view,
 * so only course editors see the bank. A change that would leave a published quiz unable to draw its
 * questions is refused, so a learner never meets a quiz that cannot start.
 */
@Injectable()
export class QuestionBankService {
  constructor(
    private readonly questions: BankQuestionsRepository,
    private readonly courses: CoursesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
  ) {}

  async list(courseId: string, actor: AuthUser, query: BankListQuery): Promise<Page<BankQuestionView> & { tags: { tag: string; count: number }[] }> {
    await this.access.edit(courseId, actor);
    const status = query.status ?? 'live';
    const all = await this.questions.findByCourse(courseId, status === 'live' ? 'live' : 'all');
    // A bank holds hundreds of questions, not millions: filtering tags (JSON) here keeps the SQL portable.
    const needle = query.q?.trim().toLowerCase();
    const rows = all.filter(
      (row) =>
        (status !== 'archived' || row.archivedAt !== null) &&
        (!query.tag || row.tags.includes(query.tag)) &&
        (!needle || row.key.toLowerCase().includes(needle) || row.question.prompt.toLowerCase().includes(needle)),
    );
    const counts = new Map<string, number>();
    for (const row of all.filter((r) => r.archivedAt === null)) for (const tag of row.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return {
      items: rows.slice(query.skip, query.skip + query.pageSize).map(toView),
      total: rows.length,
      page: query.page,
      pageSize: query.pageSize,
      tags: [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    };
  }

  async get(id: string, actor: AuthUser): Promise<BankQuestionView> {
    return toView(await this.editable(id, actor));
  }

  async create(courseId: string, actor: AuthUser, body: Record<string, unknown>): Promise<BankQuestionView> {
    await this.access.edit(courseId, actor);
    const input = parse(body);
    try {
      const saved = await this.questions.create(courseId, split(input));
      return toView(saved);
    } catch (error) {
      if (isDuplicate(error)) throw duplicateKey(input.key);
      throw error;
    }
  }

  /** Edits a question; its key stays (quizzes refer to it). Attempts already started keep what they asked. */
  async update(id: string, actor: AuthUser, body: Record<string, unknown>): Promise<BankQuestionView> {
    const current = await this.editable(id, actor);
    if (body.key !== undefined && body.key !== current.key) {
      throw inputException([problem('key', 'unchangeable')]);
    }
    const sent = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const input = parse({ ...current.question, tags: current.tags, ...sent, key: current.key });
    return this.transactions.run(async (manager) => {
      await this.questions.update(manager, id, split(input));
      await this.assertQuizzesDrawable(manager, current.courseId);
      return toView((await this.questions.findById(id, manager))!);
    });
  }

  async setArchived(id: string, archived: boolean, actor: AuthUser): Promise<BankQuestionView> {
    const current = await this.editable(id, actor);
    return this.transactions.run(async (manager) => {
      await this.questions.update(manager, id, { archivedAt: archived ? (current.archivedAt ?? new Date()) : null });
      if (archived) await this.assertQuizzesDrawable(manager, current.courseId);
      return toView((await this.questions.findById(id, manager))!);
    });
  }

  /** The live questions a quiz of the course may draw from. */
  async entries(courseId: string, manager?: EntityManager): Promise<BankEntry[]> {
    const rows = await this.questions.findByCourse(courseId, 'live', manager);
    return rows.map((r) => ({ id: r.id, key: r.key, tags: r.tags, question: r.question }));
  }

  /**
   * Makes the bank match a content file: questions matched by key are created or updated, those no longer
   * in the file archived. Writes only what changed, so importing the same file twice changes nothing.
   */
  async syncFromContent(manager: EntityManager, courseId: string, questions: BankQuestionInput[]): Promise<BankTally> {
    const tally: BankTally = { created: 0, updated: 0, unchanged: 0, archived: 0 };
    const existing = new Map((await this.questions.findByCourse(courseId, 'all', manager)).map((r) => [r.key, r]));
    for (const input of questions) {
      const wanted = split(input);
      const stored = existing.get(input.key);
      if (!stored) {
        await this.questions.create(courseId, wanted, manager);
        tally.created++;
      } else if (stable(stored.tags) !== stable(wanted.tags) || stable(stored.question) !== stable(wanted.question) || stored.archivedAt !== null) {
        await this.questions.update(manager, stored.id, { ...wanted, archivedAt: null });
        tally.updated++;
      } else {
        tally.unchanged++;
      }
    }
    const keep = new Set(questions.map((q) => q.key));
    for (const stored of existing.values()) {
      if (!keep.has(stored.key) && stored.archivedAt === null) {
        await this.questions.update(manager, stored.id, { archivedAt: new Date() });
        tally.archived++;
      }
    }
    return tally;
  }

  /** 409 when a live quiz of a published course could no longer draw its questions. */
  private async assertQuizzesDrawable(manager: EntityManager, courseId: string): Promise<void> {
    const course = (await this.courses.findById(courseId, manager))!;
    if (course.status === 'draft') return; // publishing checks the plan, bank included
    const quizzes = await this.activities.findLive(courseId, 'quiz', manager);
    const entries = await this.entries(courseId, manager);
    const problems = quizzes.flatMap((quiz) => bankProblems((quiz.settings as QuizSettings).bank, entries).map((p) => `「${quiz.title}」：${p.message}`));
    if (problems.length) {
      throw new ConflictException({ message: problems, code: 'QUESTION_IN_USE' });
    }
  }

  private async editable(id: string, actor: AuthUser): Promise<BankQuestion> {
    const row = await this.questions.findById(id);
    if (!row) throw new NotFoundException({ message: '题目不存在', code: 'QUESTION_NOT_FOUND' });
    try {
      await this.access.edit(row.courseId, actor);
    } catch (error) {
      if (error instanceof NotFoundException) throw new NotFoundException({ message: '题目不存在', code: 'QUESTION_NOT_FOUND' });
      throw error;
    }
    return row;
  }
}

function parse(body: Record<string, unknown>): BankQuestionInput {
  const result = bankQuestionSchema.safeParse(body);
  if (!result.success) {
    throw inputException(zodProblems(result.error, body));
  }
  return result.data;
}

function split(input: BankQuestionInput): Pick<BankQuestion, 'key' | 'tags' | 'question'> {
  const { key, tags, id: _id, ...question } = input;
  return { key, tags: [...new Set(tags)], question: question as BankQuestion['question'] };
}

function toView(row: BankQuestion): BankQuestionView {
  return { id: row.id, courseId: row.courseId, key: row.key, tags: row.tags, ...row.question, archivedAt: row.archivedAt, updatedAt: row.updatedAt };
}

function isDuplicate(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY';
}

function duplicateKey(key: string): ConflictException {
  return new ConflictException({ message: `题库中已有编号为「${key}」的题目`, code: 'QUESTION_KEY_TAKEN' });
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
