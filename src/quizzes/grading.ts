import type { QuizSettings } from '../access/activity-settings';
import { problem, type InputProblem } from '../common/validation-errors';
import type { AttemptAnswers } from './quiz-attempt.entity';

type Question = QuizSettings['questions'][number];

export interface Grade {
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  results: Record<string, boolean>;
}

/** Text answers compare without case, surrounding or repeated spaces, or full-width forms (Ａ１ = A1). */
export function normalizeText(value: string): string {
  return value
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

export function isCorrect(question: Question, answer: AttemptAnswers[string] | undefined): boolean {
  if (answer === undefined) return false;
  switch (question.kind) {
    case 'single':
      return answer === question.answer;
    case 'truefalse':
      return answer === question.answer;
    case 'multiple': {
      if (!Array.isArray(answer) || !Array.isArray(question.answer)) return false;
      const given = new Set(answer as number[]);
      const right = new Set(question.answer as number[]);
      return given.size === right.size && [...right].every((a) => given.has(a));
    }
    case 'text': {
      if (typeof answer !== 'string') return false;
      const accepted = (Array.isArray(question.answer) ? question.answer : [question.answer]) as string[];
      return accepted.some((a) => normalizeText(a) === normalizeText(answer));
    }
  }
}

/** Grades answers (keyed by position in the attempt) against the questions the attempt asked. */
export function grade(questions: Question[], passPercent: number, answers: AttemptAnswers): Grade {
  let score = 0;
  let maxScore = 0;
  const results: Record<string, boolean> = {};
  questions.forEach((question, index) => {
    const right = isCorrect(question, answers[String(index)]);
    results[String(index)] = right;
    maxScore += question.points;
    if (right) score += question.points;
  });
  const percent = maxScore ? Math.round((score / maxScore) * 10000) / 100 : 0;
  return { score, maxScore, percent, passed: percent >= passPercent, results };
}

/** Problems with the shape of submitted answers (by question index), before anything is saved. */
export function answerProblems(questions: Question[], answers: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [key, value] of Object.entries(answers)) {
    const question = /^\d+$/.test(key) ? questions[Number(key)] : undefined;
    if (!question) {
      problems.push(problem(`answers.${key}`, 'noSuchQuestion'));
      continue;
    }
    const options = question.options?.length ?? 0;
    const index = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < options;
    const ok =
      question.kind === 'single'
        ? index(value)
        : question.kind === 'multiple'
          ? Array.isArray(value) && value.length <= options && value.every(index)
          : question.kind === 'truefalse'
            ? typeof value === 'boolean'
            : typeof value === 'string' && value.length <= 1000;
    if (!ok) {
      const field = `answers.${key}`;
      const rules = { single: problem(field, 'optionIndex'), multiple: problem(field, 'optionIndexes'), truefalse: problem(field, 'boolean'), text: typeof value === 'string' ? problem(field, 'maxLength', { max: 1000 }) : problem(field, 'string') };
      problems.push(rules[question.kind]);
    }
  }
  return problems;
}
