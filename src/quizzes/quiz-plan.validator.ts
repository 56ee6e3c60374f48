import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { settingsSchemas } from '../access/activity-settings';
import type { ActivityRow } from '../access/course-rows';
import type { PlanFieldProblem } from '../courses/plan-check';
import { PlanValidator, type ActivityPlanValidator } from '../courses/plan-validators';
import { QuestionBankService } from './question-bank.service';
import { bankProblems } from './question-draw';

/** A course's plan is sound only if each quiz taking questions from the course's bank finds them there. */
@Injectable()
@PlanValidator('quiz')
export class QuizPlanValidator implements ActivityPlanValidator {
  constructor(private readonly bank: QuestionBankService) {}

  async problems(course: { id: string }, quizzes: ActivityRow[], manager: EntityManager): Promise<Map<string, PlanFieldProblem[]>> {
    const found = new Map<string, PlanFieldProblem[]>();
    const drawing = quizzes.flatMap((quiz) => {
      const settings = settingsSchemas.quiz.safeParse(quiz.settings);
      return settings.success && settings.data.bank ? [{ quiz, bank: settings.data.bank }] : [];
    });
    if (!drawing.length) return found;
    const entries = await this.bank.entries(course.id, manager);
    for (const { quiz, bank } of drawing) found.set(quiz.id, bankProblems(bank, entries));
    return found;
  }
}
