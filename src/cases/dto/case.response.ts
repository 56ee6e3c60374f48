import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';

export class CasePersonResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class CaseSummaryResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() unitId: string;
  @ApiProperty() branchId: string;
  @ApiProperty({ type: String, nullable: true }) branchName: string | null;
  @ApiProperty({ type: CasePersonResponse }) author: CasePersonResponse;
  @ApiProperty({ type: String, nullable: true }) recordId: string | null;
  @ApiProperty() recommended: boolean;
  @ApiProperty({ type: Date, nullable: true }) recommendedAt: Date | null;
  @ApiProperty({ description: '优秀案例' }) featured: boolean;
  @ApiProperty() hidden: boolean;
  @ApiProperty() locked: boolean;
  @ApiProperty() usefulCount: number;
  @ApiProperty({ description: 'the caller marked it useful' }) markedUseful: boolean;
  @ApiProperty() createdAt: Date;
}

export class CaseResponse extends CaseSummaryResponse {
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'the body as sanitized HTML' }) bodyHtml: string;
}

export class CasePageResponse extends PageResponse {
  @ApiProperty({ type: [CaseSummaryResponse] }) items: CaseSummaryResponse[];
}

export class CaseCommentResponse {
  @ApiProperty() id: string;
  @ApiProperty() caseId: string;
  @ApiProperty({ type: CasePersonResponse }) author: CasePersonResponse;
  @ApiProperty() body: string;
  @ApiProperty() bodyHtml: string;
  @ApiProperty() createdAt: Date;
}

export class CaseCommentPageResponse extends PageResponse {
  @ApiProperty({ type: [CaseCommentResponse] }) items: CaseCommentResponse[];
}

export class CaseUsefulResponse {
  @ApiProperty() usefulCount: number;
  @ApiProperty() markedUseful: boolean;
}
