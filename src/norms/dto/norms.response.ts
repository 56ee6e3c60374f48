import { ApiProperty } from '@nestjs/swagger';
import { BRANCH_KINDS, type BranchKind } from '../../org/branch.entity';
import { NORM_PERIODS, RECORD_REQUIREMENTS, type NormPeriod, type RecordRequirement } from '../norm.entity';

export class NormResponse {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty() minCount: number;
  @ApiProperty({ enum: NORM_PERIODS }) per: NormPeriod;
  @ApiProperty({ enum: BRANCH_KINDS, isArray: true }) branchKinds: BranchKind[];
  @ApiProperty({ enum: RECORD_REQUIREMENTS, isArray: true }) requires: RecordRequirement[];
}

export class NormSetResponse {
  @ApiProperty() year: number;
  @ApiProperty({ description: 'each save adds a version; records keep the norms they were judged by' }) version: number;
  @ApiProperty({ type: [NormResponse] }) items: NormResponse[];
}
