import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADJUSTMENT_STATES, AUDIT_ACTIONS, ROUND_STATES, type AdjustmentState, type AuditAction, type RoundState } from '../assessment.entity';
import { GRADES, MEASURE_KEYS, type Grade, type MeasureKey } from '../assessment-scheme';

export class IndicatorResponse {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() weight: number;
  @ApiProperty({ enum: ['auto', 'manual'] }) source: 'auto' | 'manual';
  @ApiPropertyOptional({ enum: MEASURE_KEYS }) measure?: MeasureKey;
  @ApiPropertyOptional() target?: number;
}

export class GradeBandResponse {
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty() min: number;
}

export class SchemeBodyResponse {
  @ApiProperty({ type: [IndicatorResponse] }) indicators: IndicatorResponse[];
  @ApiProperty({ type: [GradeBandResponse] }) bands: GradeBandResponse[];
  @ApiProperty({ type: Number, nullable: true }) excellentCap: number | null;
}

export class SchemeResponse {
  @ApiProperty() year: number;
  @ApiProperty({ type: SchemeBodyResponse }) scheme: SchemeBodyResponse;
  @ApiProperty() updatedBy: string;
  @ApiProperty() updatedAt: Date;
}

export class MeasureResponse {
  @ApiProperty({ enum: MEASURE_KEYS }) key: MeasureKey;
  @ApiProperty() name: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the default target' }) target: number | null;
}

export class MeasureListResponse {
  @ApiProperty({ type: [MeasureResponse] }) items: MeasureResponse[];
}

export class RoundStartedResponse {
  @ApiProperty() id: string;
  @ApiProperty() jobId: string;
}

export class RoundResponse {
  @ApiProperty() id: string;
  @ApiProperty() year: number;
  @ApiProperty() schemeYear: number;
  @ApiProperty({ enum: ROUND_STATES }) state: RoundState;
  @ApiProperty({ description: 'branches whose evidence is counted' }) done: number;
  @ApiProperty({ description: 'branches in the round' }) total: number;
  @ApiProperty() jobId: string;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ description: 'the moment the evidence is counted at' }) asOf: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) publishedAt: Date | null;
  @ApiProperty({ type: SchemeBodyResponse }) scheme: SchemeBodyResponse;
}

export class RoundListResponse {
  @ApiProperty({ type: [RoundResponse] }) items: RoundResponse[];
}

export class IndicatorLineResponse {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() weight: number;
  @ApiProperty({ enum: ['auto', 'manual'] }) source: 'auto' | 'manual';
  @ApiProperty({ enum: MEASURE_KEYS, nullable: true }) measure: MeasureKey | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the score that counts (0–100); null: a manual score not entered yet' }) score: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'auto: the figure measured' }) value: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, nullable: true, description: 'auto: the facts counted (the evidence)' })
  facts: Record<string, number> | null;
  @ApiProperty({ type: Number, nullable: true, description: 'auto and adjusted: the score as counted' }) countedScore: number | null;
  @ApiProperty({ type: String, nullable: true, description: "the manual score's or the accepted adjustment's reason" }) reason: string | null;
}

export class AssessedBranchResponse {
  @ApiProperty() branchId: string;
  @ApiProperty() branchName: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() score: number;
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty() rank: number;
  @ApiProperty() unitRank: number;
  @ApiProperty({ type: [IndicatorLineResponse] }) indicators: IndicatorLineResponse[];
}

export class GradeCountResponse {
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty() count: number;
}

export class IndicatorSpreadResponse {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() weight: number;
  @ApiProperty({ enum: ['auto', 'manual'] }) source: 'auto' | 'manual';
  @ApiProperty({ type: Number, nullable: true }) min: number | null;
  @ApiProperty({ type: Number, nullable: true }) max: number | null;
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty() missing: number;
}

export class GradeTallyResponse {
  @ApiProperty() excellent: number;
  @ApiProperty() good: number;
  @ApiProperty() fair: number;
  @ApiProperty() poor: number;
}

export class UnitSummaryResponse {
  @ApiProperty() unitId: string;
  @ApiProperty() name: string;
  @ApiProperty() branches: number;
  @ApiProperty() mean: number;
  @ApiProperty({ type: GradeTallyResponse }) grades: GradeTallyResponse;
}

export class RoundHeadingResponse {
  @ApiProperty() id: string;
  @ApiProperty() year: number;
  @ApiProperty({ enum: ROUND_STATES }) state: RoundState;
  @ApiProperty({ type: Date, nullable: true }) publishedAt: Date | null;
}

export class RoundResultsResponse {
  @ApiProperty({ type: RoundHeadingResponse }) round: RoundHeadingResponse;
  @ApiProperty({ description: 'false: grades and ranks are provisional' }) published: boolean;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: [AssessedBranchResponse] }) items: AssessedBranchResponse[];
  @ApiProperty({ type: [GradeCountResponse] }) distribution: GradeCountResponse[];
  @ApiProperty({ type: [IndicatorSpreadResponse] }) indicators: IndicatorSpreadResponse[];
  @ApiProperty({ type: [UnitSummaryResponse] }) byUnit: UnitSummaryResponse[];
}

export class AuditEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true }) key: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: AuditAction;
  @ApiProperty({ type: Number, nullable: true }) oldScore: number | null;
  @ApiProperty({ type: Number, nullable: true }) newScore: number | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() actorId: string;
  @ApiProperty() createdAt: Date;
}

export class BranchAssessmentResponse {
  @ApiProperty() roundId: string;
  @ApiProperty() year: number;
  @ApiProperty() published: boolean;
  @ApiProperty({ type: Date, nullable: true }) publishedAt: Date | null;
  @ApiProperty() branchId: string;
  @ApiProperty() branchName: string;
  @ApiProperty() unitName: string;
  @ApiProperty() score: number;
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty({ type: Number, nullable: true, description: 'admins only' }) rank: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'admins only' }) unitRank: number | null;
  @ApiProperty({ type: [IndicatorLineResponse] }) indicators: IndicatorLineResponse[];
  @ApiProperty({ type: [AuditEntryResponse], nullable: true, description: 'admins only' }) audit: AuditEntryResponse[] | null;
}

export class AdjustmentResponse {
  @ApiProperty() id: string;
  @ApiProperty() roundId: string;
  @ApiProperty() branchId: string;
  @ApiProperty() branchName: string;
  @ApiProperty() key: string;
  @ApiProperty() score: number;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ADJUSTMENT_STATES }) state: AdjustmentState;
  @ApiProperty() proposedBy: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: Date, nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) decisionComment: string | null;
  @ApiProperty() createdAt: Date;
}

export class AdjustmentListResponse {
  @ApiProperty({ type: [AdjustmentResponse] }) items: AdjustmentResponse[];
}

export class PublishedResponse {
  @ApiProperty({ description: 'branches whose results were frozen' }) published: number;
}
