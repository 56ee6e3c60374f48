import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { adminUnitScope, type AuthUser } from '../common/auth-user';
import { inputException } from '../common/validation-errors';
import { Activity } from '../courses/activity.entity';
import type { QuizSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import { ActivitiesRepository } from '../courses/activities.repository';
import { Transactions } from '../database/transactions';
import { JobsService } from '../jobs/jobs.service';
import { ProgressService } from '../progress/progress.service';
import { UsersRepository } from '../users/users.repository';
import { quizOutcome } from './quiz-completion';
import { answerProblems, grade, isCorrect } from './grading';
import { QuestionBankService } from './question-bank.service';
import { AskedQuestion, drawQuestions, shuffle } from './question-draw';
import { AttemptAnswers, AttemptLayout, QuizAttempt } from './quiz-attempt.entity';
import { QuizAttemptsRepository } from './quiz-attempts.repository';

/** Network and clock slack after the deadline before a submission is refused. */
export const SUBMIT_GRACE_SECONDS = 10;

export interface AttemptView {
  id: string;
  activityId: string;
  number: number;
  status: QuizAttempt['status'];
  startedAt: Date;
  deadlineAt: Date | null;
  /** API.md's name for deadlineAt. */
  expiresAt: Date | null;
  /** The server's clock, so a countdown can follow the server's deadline rather than the device's. */
  serverNow: Date;
  attemptsLeft: number;
  /** `id` is the key for this question in `answers` (its position in the attempt, as a string). */
  questions: { id: string; index: number; kind: string; prompt: string; points: number; options: { id: number; text: string }[] | null }[];
  answers: AttemptAnswers;
  result: null | {
    score: number;
    maxScore: number;
    percent: number;
    passed: boolean;
    /** Only when the quiz shows answers after submission. */
    review?: { index: number; correct: boolean; answer: unknown; explanation: string | null }[];
  };
}

/**
 * Quiz attempts (测验): questions without answers, a server-kept deadline, answers saved as the learner
 * goes, grading on submission or on expiry, never more attempts than allowed.
 */
@Injectable()
export class QuizzesService {
  constructor(
    private readonly attemptsRepository: QuizAttemptsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    private readonly jobs: JobsService,
    private readonly bank: QuestionBankService,
  ) {}

  /** Starts an attempt, or returns the one still open (so a double click starts one). */
  async start(activityId: string, actor: AuthUser): Promise<AttemptView> {
    const now = new Date();
    // 409 outside the quiz's work window (not yet open, past due with no 补学, past the make-up deadline).
    const { activity, window } = await this.access.activityForWork(activityId, actor, 'quiz', now);
    await this.expireOverdue(activity, actor.id);

    const settings = activity.settings as QuizSettings;
    const open = await this.attemptsRepository.findOpen(activityId, actor.id);
    if (open) return this.view(open, activity);
    const used = await this.attemptsRepository.countUsed(activityId, actor.id);
    if (used >= settings.maxAttempts) {
      throw new ConflictException({ message: `已用完 ${settings.maxAttempts} 次作答机会`, code: 'NO_ATTEMPTS_LEFT' });
    }
    const questions = drawQuestions(settings, settings.bank ? await this.bank.entries(activity.courseId) : []);
    if (!questions) {
      throw new ConflictException({ message: '题库中的题目不足，暂时无法开始测验，请联系授课教师', code: 'QUIZ_BANK_SHORT' });
    }
    const limit = settings.timeLimitMinutes ? new Date(now.getTime() + settings.timeLimitMinutes * 60_000) : null;
    // A dated quiz's attempt may run until the quiz stops taking work: its due date, or the end of 补学 when the
    // course allows it (an undated one ends with the course, whose closing the progress engine enforces).
    const deadlineAt = [limit, window.dueAt ? window.closesAt : null].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    try {
      const attempt = await this.attemptsRepository.create({
        activityId,
        courseId: activity.courseId,
        userId: actor.id,
        number: used + 1,
        status: 'open',
        layout: layoutFor(questions, settings.shuffleOptions),
        questions,
        answers: {},
        startedAt: now,
        deadlineAt,
      });
      if (deadlineAt) {
        await this.jobs.enqueue('quiz.expire', { attemptId: attempt.id }, { delay: deadlineAt.getTime() - now.getTime() + SUBMIT_GRACE_SECONDS * 1000 });
      }
      return this.view(attempt, activity);
    } catch (error) {
      // Two starts raced for the same attempt number: the other one won; answer with its attempt.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY') {
        const winner = await this.attemptsRepository.findOpen(activityId, actor.id);
        if (winner) return this.view(winner, activity);
        throw new ConflictException({ message: '已用完作答机会', code: 'NO_ATTEMPTS_LEFT' });
      }
      throw error;
    }
  }

  async get(attemptId: string, actor: AuthUser): Promise<AttemptView> {
    const { attempt, activity } = await this.own(attemptId, actor);
    const current = (await this.expireIfOverdue(attempt.id, activity)) ?? attempt;
    return this.view(current, activity);
  }

  /** Saves answers during the attempt (merged with those saved before). */
  async save(attemptId: string, actor: AuthUser, answers: Record<string, unknown>): Promise<AttemptView> {
    const { attempt: current, activity } = await this.ownOpen(attemptId, actor);
    const problems = answerProblems(questionsOf(current, activity), answers);
    if (problems.length) throw inputException(problems);
    const saved = await this.transactions.run(async (manager) => {
      const attempt = await this.lockOpen(manager, attemptId);
      const merged = { ...attempt.answers, ...(answers as AttemptAnswers) };
      await this.attemptsRepository.update(manager, attemptId, { answers: merged });
      return { ...attempt, answers: merged };
    });
    return this.view(saved, activity);
  }

  /** Grades the attempt; a second submit, or one after the deadline plus grace, is refused with 409. */
  async submit(attemptId: string, actor: AuthUser, answers: Record<string, unknown> = {}): Promise<AttemptView & { score: number; percent: number; passed: boolean }> {
    const { attempt: current, activity } = await this.ownOpen(attemptId, actor);
    const problems = answerProblems(questionsOf(current, activity), answers);
    if (problems.length) throw inputException(problems);
    const graded = await this.transactions.run(async (manager) => {
      const attempt = await this.lockOpen(manager, attemptId);
      const merged = { ...attempt.answers, ...(answers as AttemptAnswers) };
      return this.close(manager, attempt, merged, 'submitted', activity);
    });
    await this.recordOutcome(actor.id, activity, graded.passed === true, graded.submittedAt ?? undefined);
    const view = await this.view(graded, activity);
    // API.md names the outcome at the top level; `result` holds it with the review.
    return { ...view, score: view.result!.score, percent: view.result!.percent, passed: view.result!.passed };
  }

  /** The expiry job: an attempt left open past its deadline is graded on what was saved. */
  async expire(attemptId: string): Promise<'expired' | 'skipped'> {
    const attempt = await this.attemptsRepository.findById(attemptId);
    if (!attempt || attempt.status !== 'open') return 'skipped';
    const activity = (await this.activities.findById(attempt.activityId))!;
    return (await this.expireIfOverdue(attemptId, activity)) ? 'expired' : 'skipped';
  }

  async attempts(activityId: string, actor: AuthUser): Promise<AttemptView[]> {
    const { activity, role } = await this.access.activityView(activityId, actor);
    if (activity.type !== 'quiz') throw new NotFoundException({ message: '该学习任务不是测验', code: 'NOT_A_QUIZ' });
    if (role !== 'learner') throw new ForbiddenException({ message: '只有学员可以查看自己的作答；授课教师请查看题目统计', code: 'NOT_A_LEARNER' });
    await this.expireOverdue(activity, actor.id);
    const rows = await this.attemptsRepository.findByLearner(activityId, actor.id);
    return Promise.all(rows.map((r) => this.view(r, activity)));
  }

  /** For the course's instructors and admins: how many got each question right. */
  async statistics(activityId: string, actor: AuthUser) {
    const { activity, role } = await this.access.activityView(activityId, actor);
    if (activity.type !== 'quiz') throw new NotFoundException({ message: '该学习任务不是测验', code: 'NOT_A_QUIZ' });
    if (role === 'learner') throw new ForbiddenException({ message: '只有授课教师和管理员可以查看题目统计', code: 'NOT_A_REVIEWER' });
    // Attempts are learners' work: a unit admin's figures count their unit's learners only.
    const unit = adminUnitScope(actor);
    const rows = await this.attemptsRepository.findGraded(activityId, unit !== null ? this.users.idsInUnit(unit) : undefined);
    // Attempts that drew from the bank asked different sets: add up by where each question came from.
    const items = new Map<string, { prompt: string; kind: string; asked: number; correct: number }>();
    (activity.settings as QuizSettings).questions.forEach((q, i) => items.set(`quiz:${i}`, { prompt: q.prompt, kind: q.kind, asked: 0, correct: 0 }));
    for (const row of rows) {
      const results = JSON.parse(row.results ?? '{}') as Record<string, boolean>;
      const asked = questionsOf({ questions: row.questions ? (JSON.parse(row.questions) as AskedQuestion[]) : null }, activity);
      asked.forEach((q, i) => {
        const item = items.get(q.ref) ?? { prompt: q.prompt, kind: q.kind, asked: 0, correct: 0 };
        item.asked++;
        if (results[String(i)]) item.correct++;
        items.set(q.ref, item);
      });
    }
    return {
      attempts: rows.length,
      passed: rows.filter((r) => Number(r.passed) === 1).length,
      questions: [...items].map(([ref, item], index) => ({
        index,
        ref,
        bankQuestionId: ref.startsWith('bank:') ? ref.slice(5) : null,
        prompt: item.prompt,
        kind: item.kind,
        asked: item.asked,
        correct: item.correct,
        rate: item.asked ? Math.round((item.correct / item.asked) * 1000) / 10 : 0,
      })),
    };
  }

  private async own(attemptId: string, actor: AuthUser): Promise<{ attempt: QuizAttempt; activity: Activity }> {
    const attempt = await this.attemptsRepository.findById(attemptId);
    if (!attempt || attempt.userId !== actor.id) throw new NotFoundException({ message: '该次作答不存在', code: 'ATTEMPT_NOT_FOUND' });
    const activity = (await this.activities.findById(attempt.activityId))!;
    return { attempt, activity };
  }

  /** For writes: an attempt past its deadline is closed and graded on what was saved, and the write refused. */
  private async ownOpen(attemptId: string, actor: AuthUser): Promise<{ attempt: QuizAttempt; activity: Activity }> {
    const found = await this.own(attemptId, actor);
    if (found.attempt.status === 'open' && overdue(found.attempt)) {
      await this.expireIfOverdue(attemptId, found.activity);
      throw expiredError();
    }
    return found;
  }

  /** The attempt, locked, if still open and in time; past the deadline it is closed here and 409 answered. */
  private async lockOpen(manager: EntityManager, attemptId: string): Promise<QuizAttempt> {
    const attempt = await this.attemptsRepository.lock(manager, attemptId);
    if (attempt.status !== 'open') {
      throw new ConflictException({ message: '本次作答已提交', code: 'ATTEMPT_CLOSED' });
    }
    if (overdue(attempt)) throw expiredError();
    return attempt;
  }

  private async recordOutcome(userId: string, activity: Activity, passed: boolean, at?: Date): Promise<void> {
    await this.progress.apply(userId, activity.id, quizOutcome(activity.settings as QuizSettings, passed), at);
  }

  private async close(manager: EntityManager, attempt: QuizAttempt, answers: AttemptAnswers, status: 'submitted' | 'expired', activity: Activity): Promise<QuizAttempt> {
    const result = grade(questionsOf(attempt, activity), (activity.settings as QuizSettings).passPercent, answers);
    const values = { answers, status, submittedAt: new Date(), score: result.score, maxScore: result.maxScore, passed: result.passed, results: result.results };
    await this.attemptsRepository.update(manager, attempt.id, values);
    return { ...attempt, ...values };
  }

  private async expireOverdue(activity: Activity, userId: string): Promise<void> {
    const open = await this.attemptsRepository.findOpen(activity.id, userId);
    if (open) await this.expireIfOverdue(open.id, activity);
  }

  /** Closes an open attempt whose deadline (plus grace) has passed, grading what was saved; null if not. */
  private async expireIfOverdue(attemptId: string, activity: Activity): Promise<QuizAttempt | null> {
    const closed = await this.transactions.run(async (manager) => {
      const attempt = await this.attemptsRepository.lock(manager, attemptId);
      if (attempt.status !== 'open' || !overdue(attempt)) return null;
      return this.close(manager, attempt, attempt.answers, 'expired', activity);
    });
    // An expired attempt holds what was saved by its deadline: that is when the work was done (it decides 补学).
    if (closed) await this.recordOutcome(closed.userId, activity, closed.passed === true, closed.deadlineAt ?? undefined).catch(() => undefined);
    return closed;
  }

  private async view(attempt: QuizAttempt, activity: Activity): Promise<AttemptView> {
    const settings = activity.settings as QuizSettings;
    const used = await this.attemptsRepository.countUsed(activity.id, attempt.userId);
    const done = attempt.status !== 'open';
    const asked = questionsOf(attempt, activity);
    return {
      id: attempt.id,
      activityId: attempt.activityId,
      number: attempt.number,
      status: attempt.status,
      startedAt: attempt.startedAt,
      deadlineAt: attempt.deadlineAt,
      expiresAt: attempt.deadlineAt,
      serverNow: new Date(),
      attemptsLeft: Math.max(0, settings.maxAttempts - used),
      questions: attempt.layout.map(({ question, options }) => {
        const q = asked[question];
        return {
          id: String(question),
          index: question,
          kind: q.kind,
          prompt: q.prompt,
          points: q.points,
          options: q.options ? (options ?? q.options.map((_, i) => i)).map((id) => ({ id, text: q.options![id] })) : null,
        };
      }),
      answers: attempt.answers,
      result: done
        ? {
            score: attempt.score ?? 0,
            maxScore: attempt.maxScore ?? 0,
            percent: attempt.maxScore ? Math.round(((attempt.score ?? 0) / attempt.maxScore) * 10000) / 100 : 0,
            passed: attempt.passed === true,
            ...(settings.showAnswersAfterSubmit
              ? {
                  review: asked.map((q, index) => ({
                    index,
                    correct: isCorrect(q, attempt.answers[String(index)]),
                    answer: q.answer,
                    explanation: q.explanation ?? null,
                  })),
                }
              : {}),
          }
        : null,
    };
  }
}

function expiredError(): ConflictException {
  return new ConflictException({ message: '作答时间已到，已按保存的答案评分', code: 'ATTEMPT_EXPIRED' });
}

function overdue(attempt: QuizAttempt): boolean {
  return attempt.deadlineAt !== null && Date.now() > attempt.deadlineAt.getTime() + SUBMIT_GRACE_SECONDS * 1000;
}

/** Question order as asked; option order shuffled per attempt when the quiz asks for it. */
function layoutFor(questions: AskedQuestion[], shuffleOptions: boolean): AttemptLayout {
  return questions.map((q, question) => {
    if (!shuffleOptions || !q.options || (q.kind !== 'single' && q.kind !== 'multiple')) return { question, options: null };
    return { question, options: shuffle(q.options.map((_, i) => i)) };
  });
}

/** The questions an attempt asks: its own copy, or (attempts from before question banks) the quiz's. */
function questionsOf(attempt: Pick<QuizAttempt, 'questions'>, activity: Activity): AskedQuestion[] {
  return attempt.questions ?? (activity.settings as QuizSettings).questions.map((q, i) => ({ ...q, ref: `quiz:${i}` }));
}
