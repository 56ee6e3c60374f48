import { ApiProperty } from '@nestjs/swagger';

/**
 * The settings of each activity type as the API answers them (src/courses/activity-settings.ts holds the rules).
 * Editors get them whole; learners get a video's checkpoints without answers and a quiz's questionCount instead
 * of its questions and bank.
 */

export class VideoCheckpointSettingsResponse {
  @ApiProperty() atSeconds: number;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String] }) options: string[];
  @ApiProperty({ required: false, description: 'the right option’s index; editors only' }) answer?: number;
}

export class VideoSettingsResponse {
  @ApiProperty() durationSeconds: number;
  @ApiProperty({ description: 'share of the length to watch for completion' }) completionPercent: number;
  @ApiProperty({ type: [VideoCheckpointSettingsResponse], required: false, description: 'questions at given times (always present for learners)' })
  checkpoints?: VideoCheckpointSettingsResponse[];
}

export class ReadingSettingsResponse {
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty() minReflectionLength: number;
  @ApiProperty() reflectionNeedsApproval: boolean;
}

export class QuizQuestionSettingsResponse {
  @ApiProperty({ required: false, description: 'the question’s id in imported content' }) id?: string;
  @ApiProperty({ enum: ['single', 'multiple', 'truefalse', 'text'] }) kind: 'single' | 'multiple' | 'truefalse' | 'text';
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String], required: false }) options?: string[];
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }, { type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'an option’s index (single), indexes (multiple), true/false, or the accepted text(s)',
  })
  answer: number | number[] | boolean | string | string[];

  @ApiProperty() points: number;
  @ApiProperty({ required: false }) explanation?: string;
}

export class QuizBankDrawSettingsResponse {
  @ApiProperty({ type: [String], description: 'questions carrying any of these tags; none: any question of the bank' }) tags: string[];
  @ApiProperty() count: number;
}

export class QuizBankSettingsResponse {
  @ApiProperty({ type: [String], description: 'bank questions by key' }) keys: string[];
  @ApiProperty({ type: [QuizBankDrawSettingsResponse], description: 'random draws by tag' }) draws: QuizBankDrawSettingsResponse[];
}

export class QuizSettingsResponse {
  @ApiProperty() passPercent: number;
  @ApiProperty() maxAttempts: number;
  @ApiProperty({ type: Number, nullable: true, required: false }) timeLimitMinutes?: number | null;
  @ApiProperty() shuffleOptions: boolean;
  @ApiProperty() showAnswersAfterSubmit: boolean;
  @ApiProperty({ enum: ['best', 'last'], description: 'best: any passed attempt completes; last: the latest attempt decides' }) grading: 'best' | 'last';
  @ApiProperty({ type: [QuizQuestionSettingsResponse], required: false, description: 'editors only: the quiz’s own questions' })
  questions?: QuizQuestionSettingsResponse[];

  @ApiProperty({ type: QuizBankSettingsResponse, required: false, description: 'editors only: questions from the course’s bank' }) bank?: QuizBankSettingsResponse;
  @ApiProperty({ required: false, description: 'learners only: how many questions an attempt asks' }) questionCount?: number;
}

export class DiscussionSettingsResponse {
  @ApiProperty() prompt: string;
  @ApiProperty() minPosts: number;
  @ApiProperty() minReplies: number;
  @ApiProperty() minPostLength: number;
}

export class SessionSettingsResponse {
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
  @ApiProperty() location: string;
  @ApiProperty({ type: String, nullable: true, required: false }) speaker?: string | null;
}

export const ACTIVITY_SETTINGS_RESPONSES = [
  VideoSettingsResponse,
  ReadingSettingsResponse,
  QuizSettingsResponse,
  DiscussionSettingsResponse,
  SessionSettingsResponse,
] as const;
