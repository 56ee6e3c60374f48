import { ApiProperty } from '@nestjs/swagger';
import { AUDIENCE_KINDS, QUESTION_KINDS, type AudienceKind, type QuestionKind } from '../survey.entity';

export class SurveyQuestionResponse {
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String] }) options: string[];
  @ApiProperty() required: boolean;
}

export class SurveyAudienceResponse {
  @ApiProperty({ enum: AUDIENCE_KINDS }) kind: AudienceKind;
  @ApiProperty({ type: String, nullable: true }) courseId: string | null;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
}

export class SurveyResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: SurveyAudienceResponse }) audience: SurveyAudienceResponse;
  @ApiProperty() opensAt: Date;
  @ApiProperty() closesAt: Date;
  @ApiProperty({ description: 'now between opensAt and closesAt' }) open: boolean;
  @ApiProperty({ description: "the course's learners must answer it before the course's certificate is issued" }) requiredForCertificate: boolean;
  @ApiProperty({
    description: 'the caller may answer now: addressed, open (or, for a questionnaire required before a certificate, closed but not yet answered), and a named answer or none yet',
  })
  answerable: boolean;
  @ApiProperty({ type: [SurveyQuestionResponse] }) questions: SurveyQuestionResponse[];
  @ApiProperty() authorId: string;
  @ApiProperty({ description: 'the caller has answered' }) answered: boolean;
  @ApiProperty() createdAt: Date;
}

export class SurveyDetailResponse extends SurveyResponse {
  @ApiProperty({
    type: 'array',
    nullable: true,
    items: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }, { type: 'string' }], nullable: true },
    description: 'a named survey the caller has answered: their answer, one entry per question; otherwise null',
  })
  myAnswers: (number | number[] | string | null)[] | null;
}

export class SurveyListResponse {
  @ApiProperty({ type: [SurveyResponse] }) items: SurveyResponse[];
}

export class SurveyAnswerAcceptedResponse {
  @ApiProperty() surveyId: string;
  @ApiProperty({ description: 'true when a named answer replaced the earlier one' }) replaced: boolean;
  @ApiProperty({ description: 'true when a questionnaire required before a certificate was answered after it closed' }) late: boolean;
}

export class QuestionResultResponse {
  @ApiProperty({ enum: QUESTION_KINDS }) kind: QuestionKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ description: 'how many answered this question' }) answered: number;
  @ApiProperty({ type: [Number], description: 'single/multiple: count per option; scale: count per rating 1..5; text: empty' }) counts: number[];
  @ApiProperty({ type: Number, nullable: true, description: 'scale: the mean rating' }) mean: number | null;
  @ApiProperty({ type: [String], description: 'text: the answers' }) texts: string[];
}

export class UnitResultResponse {
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() responses: number;
  @ApiProperty({ type: [QuestionResultResponse] }) questions: QuestionResultResponse[];
}

export class SurveyResultsResponse {
  @ApiProperty() surveyId: string;
  @ApiProperty() responses: number;
  @ApiProperty({ type: [QuestionResultResponse] }) questions: QuestionResultResponse[];
  @ApiProperty({ type: [UnitResultResponse], description: 'units with five answers or more; smaller groups are not broken down' })
  byUnit: UnitResultResponse[];

  @ApiProperty({ description: 'answers from units with fewer than five, counted only in the totals' }) notBrokenDown: number;
}
