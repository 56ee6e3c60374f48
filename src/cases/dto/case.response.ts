import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { CASE_FILE_KINDS, type CaseFileKind } from '../case-file.entity';
import { CASE_KINDS, type CaseKind } from '../case-kinds';

export class CasePersonResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class CaseSummaryResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: CASE_KINDS, description: '类别' }) kind: CaseKind;
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

export class CaseFileResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CASE_FILE_KINDS, description: 'photo: shown in the case; document: downloaded' }) kind: CaseFileKind;
  @ApiProperty({ description: 'the type its bytes show' }) mimeType: string;
  @ApiProperty() fileName: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'where its bytes are read, with the bearer token' }) url: string;
  @ApiProperty() createdAt: Date;
}

export class CaseResponse extends CaseSummaryResponse {
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty({ description: 'the body as sanitized HTML' }) bodyHtml: string;
  @ApiProperty({ type: [CaseFileResponse], description: 'photos and documents, oldest first' }) files: CaseFileResponse[];
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
