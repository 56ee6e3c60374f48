import { ApiProperty } from '@nestjs/swagger';
import { RECORD_STATUSES, RecordStatus } from '../branch-record.entity';
import { ATTACHMENT_KINDS, AttachmentKind } from '../record-attachment.entity';

export class RecordPersonResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class RecordAttendeeResponse {
  @ApiProperty() memberId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['full', 'probationary'] }) category: 'full' | 'probationary';
  @ApiProperty({ type: String, nullable: true, description: 'why an absent member was absent' }) reason: string | null;
}

export class RecordAttendanceResponse {
  @ApiProperty({ type: [RecordAttendeeResponse] }) present: RecordAttendeeResponse[];
  @ApiProperty({ type: [RecordAttendeeResponse] }) absent: RecordAttendeeResponse[];
}

export class RecordAttachmentResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS }) kind: AttachmentKind;
  @ApiProperty({ description: 'the type its bytes show' }) mimeType: string;
  @ApiProperty() fileName: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'GET it with the bearer token' }) url: string;
  @ApiProperty() createdAt: Date;
}

export class RecordCorrectionResponse {
  @ApiProperty() id: string;
  @ApiProperty() field: string;
  @ApiProperty({ type: String, nullable: true }) oldValue: string | null;
  @ApiProperty() newValue: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: RecordPersonResponse }) author: RecordPersonResponse;
  @ApiProperty() createdAt: Date;
}

export class RecordSummaryResponse {
  @ApiProperty() id: string;
  @ApiProperty() branchId: string;
  @ApiProperty({ type: String, nullable: true }) branchName: string | null;
  @ApiProperty({ description: 'the Beijing year of heldAt' }) year: number;
  @ApiProperty({ description: "a norm's kind, or other" }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'the norm it was judged by (set on submit)' }) normId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() heldAt: Date;
  @ApiProperty() place: string;
  @ApiProperty({ enum: RECORD_STATUSES }) status: RecordStatus;
  @ApiProperty({ type: String, nullable: true }) planItemId: string | null;
  @ApiProperty() presentFull: number;
  @ApiProperty() presentProbationary: number;
  @ApiProperty() absentCount: number;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) reviewedAt: Date | null;
  @ApiProperty() updatedAt: Date;
}

export class RecordResponse extends RecordSummaryResponse {
  @ApiProperty({ type: String, nullable: true }) chair: string | null;
  @ApiProperty({ type: String, nullable: true }) recorder: string | null;
  @ApiProperty({ description: 'Markdown' }) minutes: string;
  @ApiProperty({ description: 'the minutes as sanitized HTML' }) minutesHtml: string;
  @ApiProperty({ type: String, nullable: true }) resolutions: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewComment: string | null;
  @ApiProperty({ type: RecordPersonResponse, nullable: true }) reviewedBy: RecordPersonResponse | null;
  @ApiProperty({ type: RecordAttendanceResponse }) attendance: RecordAttendanceResponse;
  @ApiProperty({ type: [RecordAttachmentResponse] }) attachments: RecordAttachmentResponse[];
  @ApiProperty({ type: [RecordCorrectionResponse], description: 'corrections of the accepted record, oldest first' }) corrections: RecordCorrectionResponse[];
  @ApiProperty() createdAt: Date;
}

export class RecordPageResponse {
  @ApiProperty({ type: [RecordSummaryResponse] }) items: RecordSummaryResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
