import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { ATTEMPT_STATUSES, type AttemptStatus } from '../quiz-attempt.entity';

const QUESTION_KINDS = ['single', 'multiple', 'truefalse', 'text'];
/** An option's index (single), indexes (multiple), true/false, or the accepted text(s). */
const ANSWER_SCHEMA = {
  oneOf: [
    { type: 'integer' },
    { type: 'array', items: { type: 'integer' } },
    { type: 'boolean' },
    { type: 'string' },
    { type: 'array', items: { type: 'string' } },
  ],
};

export class AttemptOptionResponse {
  @ApiProperty({ description: 'the option’s index, the value to answer with' }) id: number;
  @ApiProperty() text: string;
}

export class AttemptQuestionResponse {
  @ApiProperty({ description: 'the key of this question in `answers` (its position, as a string)' }) id: string;
  @ApiProperty() index: number;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: string;
  @ApiProperty() prompt: string;
  @ApiProperty() points: number;
  @ApiProperty({ type: [AttemptOptionResponse], nullable: true }) options: AttemptOptionResponse[] | null;
}

export class AttemptReviewResponse {
  @ApiProperty() index: number;
  @ApiProperty() correct: boolean;
  @ApiProperty({ ...ANSWER_SCHEMA, description: 'the right answer' }) answer: unknown;
  @ApiProperty({ type: String, nullable: true }) explanation: string | null;
}

export class AttemptResultResponse {
  @ApiProperty() score: number;
  @ApiProperty() maxScore: number;
  @ApiProperty() percent: number;
  @ApiProperty() passed: boolean;
  @ApiProperty({ type: [AttemptReviewResponse], required: false, description: 'only when the quiz shows answers after submission' })
  review?: AttemptReviewResponse[];
}

export class AttemptResponse {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty() number: number;
  @ApiProperty({ enum: ATTEMPT_STATUSES }) status: AttemptStatus;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'null when the quiz has no time limit' }) deadlineAt: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'the same as deadlineAt' }) expiresAt: Date | null;
  @ApiProperty({ description: 'the server’s clock, for a countdown that follows the server’s deadline' }) serverNow: Date;
  @ApiProperty() attemptsLeft: number;
  @ApiProperty({ type: [AttemptQuestionResponse] }) questions: AttemptQuestionResponse[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the saved answers by question id' }) answers: Record<string, unknown>;
  @ApiProperty({ type: AttemptResultResponse, nullable: true, description: 'once submitted or expired' }) result: AttemptResultResponse | null;
}

export class SubmittedAttemptResponse extends AttemptResponse {
  @ApiProperty() score: number;
  @ApiProperty() percent: number;
  @ApiProperty() passed: boolean;
}

export class QuizQuestionStatsResponse {
  @ApiProperty() index: number;
  @ApiProperty({ description: 'where the question comes from: quiz:<index> or bank:<id>' }) ref: string;
  @ApiProperty({ type: String, nullable: true }) bankQuestionId: string | null;
  @ApiProperty() prompt: string;
  @ApiProperty({ enum: QUESTION_KINDS }) kind: string;
  @ApiProperty() asked: number;
  @ApiProperty() correct: number;
  @ApiProperty({ description: 'percent answered right, one decimal' }) rate: number;
}

export class QuizStatsResponse {
  @ApiProperty({ description: 'attempts submitted or expired' }) attempts: number;
  @ApiProperty() passed: number;
  @ApiProperty({ type: [QuizQuestionStatsResponse] }) questions: QuizQuestionStatsResponse[];
}

export class BankQuestionResponse {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty({ description: 'unique in the course' }) key: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ enum: QUESTION_KINDS }) kind: string;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String], required: false }) options?: string[];
  @ApiProperty(ANSWER_SCHEMA) answer: unknown;
  @ApiProperty() points: number;
  @ApiProperty({ required: false }) explanation?: string;
  @ApiProperty({ type: Date, nullable: true }) archivedAt: Date | null;
  @ApiProperty() updatedAt: Date;
}

export class BankTagCountResponse {
  @ApiProperty() tag: string;
  @ApiProperty() count: number;
}

export class BankQuestionPageResponse extends PageResponse {
  @ApiProperty({ type: [BankQuestionResponse] }) items: BankQuestionResponse[];
  @ApiProperty({ type: [BankTagCountResponse], description: 'the tags in use, with how many questions carry each' }) tags: BankTagCountResponse[];
}
