import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { NORM_PERIODS, type NormPeriod } from '../../norms/norm.entity';
import { PLAN_STATUSES, type PlanStatus } from '../branch-plan.entity';
import { PLAN_ITEM_STATES, type PlanItemState } from '../plan-rules';

export class PlanItemResponse {
  @ApiProperty({ type: String, nullable: true, description: 'null in a draft not saved yet' }) id: string | null;
  @ApiProperty() month: number;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) normId: string | null;
  @ApiProperty({ enum: PLAN_ITEM_STATES }) state: PlanItemState;
  @ApiProperty({ type: [String], description: 'the handbook records that fulfil it' }) recordIds: string[];
}

export class PlanShortfallResponse {
  @ApiProperty() normId: string;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: NORM_PERIODS }) per: NormPeriod;
  @ApiProperty({ description: 'the month (1–12), quarter (1–4), or 1 for the year' }) period: number;
  @ApiProperty() missing: number;
}

export class PlanResponse {
  @ApiProperty() branchId: string;
  @ApiProperty() branchName: string;
  @ApiProperty() year: number;
  @ApiProperty({ enum: PLAN_STATUSES }) status: PlanStatus;
  @ApiProperty({ description: 'false: nothing saved yet, this is the draft pre-filled from the norms' }) stored: boolean;
  @ApiProperty({ type: String, nullable: true }) reviewComment: string | null;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
  @ApiProperty({ type: [PlanItemResponse] }) items: PlanItemResponse[];
  @ApiProperty({ type: [PlanShortfallResponse], description: 'norms the plan places too few of; a plan is submitted only without them' })
  shortfalls: PlanShortfallResponse[];
}

export class PlanSummaryResponse {
  @ApiProperty() branchId: string;
  @ApiProperty() branchName: string;
  @ApiProperty() year: number;
  @ApiProperty({ enum: PLAN_STATUSES }) status: PlanStatus;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
}

export class PlanSummaryPageResponse extends PageResponse {
  @ApiProperty({ type: [PlanSummaryResponse] }) items: PlanSummaryResponse[];
}
