import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';

export class NormHeadingResponse {
  @ApiProperty() normId: string;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty() minCount: number;
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) per: string;
  @ApiProperty({ type: [String], enum: ['staff', 'student'] }) branchKinds: string[];
}

export class NormFiguresResponse {
  @ApiProperty() normId: string;
  @ApiProperty({ description: 'records the norm asks for by now: minCount × periods begun (a past year: the whole year)' }) required: number;
  @ApiProperty({ description: 'accepted records of the norm’s kind this year' }) accepted: number;
  @ApiProperty({ description: 'records still missing for periods that are over: minCount × periods ended − accepted, at least 0' }) overdue: number;
}

export class BranchComplianceResponse {
  @ApiProperty() branchId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['staff', 'student'] }) kind: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ description: 'the unit’s name' }) unit: string;
  @ApiProperty({ type: [NormFiguresResponse], description: 'the norms that apply to the branch’s kind' }) norms: NormFiguresResponse[];
  @ApiProperty() required: number;
  @ApiProperty() accepted: number;
  @ApiProperty() overdue: number;
  @ApiProperty({ description: 'records submitted and not yet reviewed' }) waitingReview: number;
}

export class UnitComplianceResponse {
  @ApiProperty() unitId: string;
  @ApiProperty() name: string;
  @ApiProperty() branches: number;
  @ApiProperty({ description: 'branches with at least one overdue record' }) branchesBehind: number;
  @ApiProperty() required: number;
  @ApiProperty() accepted: number;
  @ApiProperty() overdue: number;
  @ApiProperty() waitingReview: number;
}

export class BranchWorkReportResponse extends PageResponse {
  @ApiProperty() year: number;
  @ApiProperty({ type: String, nullable: true, description: 'the unit the figures are limited to; null: all' }) unitId: string | null;
  @ApiProperty({ description: 'the Beijing date the figures are counted at (YYYY-MM-DD)' }) asOf: string;
  @ApiProperty({ type: [NormHeadingResponse], description: 'the year’s norms (the version in force)' }) norms: NormHeadingResponse[];
  @ApiProperty({ type: [BranchComplianceResponse], description: 'one page of branches' }) branches: BranchComplianceResponse[];
  @ApiProperty({ type: [UnitComplianceResponse], description: 'every unit in scope, whatever the page' }) byUnit: UnitComplianceResponse[];
}

export class OversightRecordResponse {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty() heldAt: Date;
  @ApiProperty({ enum: ['draft', 'submitted', 'accepted', 'returned'] }) status: string;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
}

export class BranchWorkDetailResponse {
  @ApiProperty() year: number;
  @ApiProperty() unitId: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [NormHeadingResponse] }) norms: NormHeadingResponse[];
  @ApiProperty({ type: BranchComplianceResponse }) branch: BranchComplianceResponse;
  @ApiProperty({ type: [OversightRecordResponse], description: 'the branch’s records of the year, every status, by when they were held' }) records: OversightRecordResponse[];
}
