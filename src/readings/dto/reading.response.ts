import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { REFLECTION_STATUSES, type ReflectionStatus } from '../reflection.entity';

export class ReflectionAuthorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
}

export class ReflectionCopyCheckResponse {
  @ApiProperty({ enum: ['reading', 'reflection'] }) source: 'reading' | 'reflection';
  @ApiProperty({ type: String, nullable: true }) reflectionId: string | null;
  @ApiProperty({ description: '0–1' }) similarity: number;
  @ApiProperty() flagged: boolean;
}

export class ReflectionResponse {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty({ type: ReflectionAuthorResponse, nullable: true, description: 'null in the answer to the author’s own submission' })
  author: ReflectionAuthorResponse | null;

  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'the body as sanitized HTML' }) bodyHtml: string;
  @ApiProperty({ description: 'the same as bodyHtml, kept for older clients' }) html: string;
  @ApiProperty() charCount: number;
  @ApiProperty({ enum: REFLECTION_STATUSES }) status: ReflectionStatus;
  @ApiProperty({ type: String, nullable: true }) feedback: string | null;
  @ApiProperty({ description: '优秀心得' }) excellent: boolean;
  @ApiProperty({ description: 'the author agrees to show it among the excellent ones' }) shareConsent: boolean;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
  @ApiProperty({ type: ReflectionCopyCheckResponse, nullable: true, required: false, description: 'reviewers only: the closest match found at submission' })
  copyCheck?: ReflectionCopyCheckResponse | null;

  @ApiProperty() updatedAt: Date;
}

export class ReflectionPageResponse extends PageResponse {
  @ApiProperty({ type: [ReflectionResponse] }) items: ReflectionResponse[];
}

export class ReflectionRevisionResponse {
  @ApiProperty({ description: 'what happened: submitted, returned, approved…' }) event: string;
  @ApiProperty({ type: String, nullable: true }) body: string | null;
  @ApiProperty({ type: String, nullable: true }) feedback: string | null;
  @ApiProperty() at: Date;
}

export class ReflectionDetailResponse extends ReflectionResponse {
  @ApiProperty({ type: [ReflectionRevisionResponse] }) history: ReflectionRevisionResponse[];
}

export class ReadingResponse {
  @ApiProperty({ description: 'the activity' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'sanitized HTML' }) bodyHtml: string;
  @ApiProperty({ description: 'the same as bodyHtml, kept for older clients' }) html: string;
  @ApiProperty() minReflectionLength: number;
  @ApiProperty() reflectionNeedsApproval: boolean;
  @ApiProperty({ type: ReflectionResponse, nullable: true, description: 'a learner’s own reflection' }) myReflection: ReflectionResponse | null;
}

export class AttachmentResponse {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty() fileName: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() createdAt: Date;
}

export class ReviewCountsResponse {
  @ApiProperty({ description: 'submitted, waiting for a review (resubmissions included)' }) waiting: number;
  @ApiProperty({ description: 'of the waiting, those returned before and submitted again' }) resubmitted: number;
  @ApiProperty({ description: 'returned with feedback, waiting for the learner' }) returned: number;
}

export class ReviewAuthorResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) branch: string | null;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
}

export class ReviewSimilarityResponse {
  @ApiProperty({ enum: ['reading', 'reflection'] }) source: 'reading' | 'reflection';
  @ApiProperty({ type: String, nullable: true, description: 'null for the reading, or another unit’s learner (unit admins)' }) reflectionId: string | null;
  @ApiProperty({ type: String, nullable: true }) authorName: string | null;
  @ApiProperty({ description: 'it resembles a reflection from another unit, which a unit admin may not see' }) outsideScope: boolean;
  @ApiProperty() score: number;
}

export class ReviewItemResponse {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty() activityTitle: string;
  @ApiProperty() courseId: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ type: ReviewAuthorResponse }) author: ReviewAuthorResponse;
  @ApiProperty({ enum: REFLECTION_STATUSES }) status: ReflectionStatus;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
  @ApiProperty() resubmitted: boolean;
  @ApiProperty({ type: String, nullable: true }) feedback: string | null;
  @ApiProperty() body: string;
  @ApiProperty() bodyHtml: string;
  @ApiProperty() charCount: number;
  @ApiProperty({ type: ReviewSimilarityResponse, nullable: true }) similarity: ReviewSimilarityResponse | null;
}

export class ReviewPageResponse extends PageResponse {
  @ApiProperty({ type: [ReviewItemResponse] }) items: ReviewItemResponse[];
  @ApiProperty({ type: ReviewCountsResponse }) counts: ReviewCountsResponse;
}

export class SimilarReadingResponse {
  @ApiProperty({ enum: ['reading'] }) source: 'reading';
  @ApiProperty({ description: 'the reading’s title' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty() score: number;
}

export class SimilarAuthorResponse {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) branch: string | null;
  @ApiProperty({ type: String, nullable: true }) unit: string | null;
}

export class SimilarReflectionResponse {
  @ApiProperty({ enum: ['reflection'] }) source: 'reflection';
  @ApiProperty() id: string;
  @ApiProperty({ type: SimilarAuthorResponse }) author: SimilarAuthorResponse;
  @ApiProperty({ enum: REFLECTION_STATUSES }) status: ReflectionStatus;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty() body: string;
  @ApiProperty() score: number;
}

export class SimilarOutsideScopeResponse {
  @ApiProperty({ enum: ['reflection'] }) source: 'reflection';
  @ApiProperty({ enum: [true], description: 'a reflection from another unit, not shown' }) outsideScope: true;
  @ApiProperty() score: number;
}

export class ReviewCompareResponse {
  @ApiProperty({ type: ReviewItemResponse }) reflection: ReviewItemResponse;
  @ApiProperty({
    nullable: true,
    oneOf: [{ $ref: getSchemaPath(SimilarReadingResponse) }, { $ref: getSchemaPath(SimilarReflectionResponse) }, { $ref: getSchemaPath(SimilarOutsideScopeResponse) }],
    description: 'what it resembles: the reading, a classmate’s reflection, or one the caller may not see; null when nothing',
  })
  similar: SimilarReadingResponse | SimilarReflectionResponse | SimilarOutsideScopeResponse | null;
}
