import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { BRANCH_KINDS, type BranchKind } from '../branch.entity';

export class UnitResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() code: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class UnitPageResponse extends PageResponse {
  @ApiProperty({ type: [UnitResponse] }) items: UnitResponse[];
}

export class BranchUnitResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class BranchResponse {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ type: BranchUnitResponse, nullable: true }) unit: BranchUnitResponse | null;
  @ApiProperty() name: string;
  @ApiProperty() code: string;
  @ApiProperty({ enum: BRANCH_KINDS }) kind: BranchKind;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class BranchPageResponse extends PageResponse {
  @ApiProperty({ type: [BranchResponse] }) items: BranchResponse[];
}
