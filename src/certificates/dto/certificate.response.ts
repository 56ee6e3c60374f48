import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/dto/page.response';
import { BATCH_STATES, type BatchState } from '../certificate-batch.entity';

export class CompileRequestedResponse {
  @ApiProperty({ description: 'follow it at GET .../certificates/compile/:jobId' }) jobId: string;
}

export class CompileProgressResponse {
  @ApiProperty() jobId: string;
  @ApiProperty() courseId: string;
  @ApiProperty({ enum: BATCH_STATES }) state: BatchState;
  @ApiProperty() done: number;
  @ApiProperty() total: number;
  @ApiProperty() issued: number;
  @ApiProperty({ description: 'compiled before the course closed' }) forced: boolean;
  @ApiProperty({ enum: ['close', 'admin'] }) origin: 'close' | 'admin';
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) finishedAt: Date | null;
}

export class ClosePreviewResponse {
  @ApiProperty({ enum: ['draft', 'published', 'closed'] }) status: string;
  @ApiProperty({ description: 'active learners' }) learners: number;
  @ApiProperty({ description: 'of them, those who completed the course' }) completed: number;
  @ApiProperty({ description: 'completed learners without a certificate (and, where the course requires its questionnaire, who answered it): the compile issues one to each' })
  willBeCertified: number;

  @ApiProperty({ description: "completed learners without a certificate who have not answered the course's questionnaire required before it; 0 when it has none" })
  awaitingQuestionnaire: number;

  @ApiProperty({ description: 'completed learners who already hold one (live or revoked)' }) alreadyCertified: number;
}

export class CertificateReplacementResponse {
  @ApiProperty() id: string;
  @ApiProperty() serial: string;
}

export class CertificateResponse {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty() userId: string;
  @ApiProperty({ description: 'as printed, copied at issue time' }) name: string;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: String, nullable: true }) unitName: string | null;
  @ApiProperty({ type: String, nullable: true }) branchId: string | null;
  @ApiProperty({ type: String, nullable: true }) branchName: string | null;
  @ApiProperty() serial: string;
  @ApiProperty() verificationCode: string;
  @ApiProperty({ description: 'the public check behind the QR code' }) verifyUrl: string;
  @ApiProperty() creditHours: number;
  @ApiProperty() issuedAt: Date;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ type: Date, nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) revokedReason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the certificate this one replaced' }) reissueOfId: string | null;
  @ApiProperty({ type: CertificateReplacementResponse, nullable: true, description: 'the certificate that replaced this one' })
  replacedBy: CertificateReplacementResponse | null;
}

export class CertificatePageResponse extends PageResponse {
  @ApiProperty({ type: [CertificateResponse] }) items: CertificateResponse[];
}

export class MyCertificatesResponse {
  @ApiProperty({ type: [CertificateResponse] }) items: CertificateResponse[];
  @ApiProperty() total: number;
}

export class CertificateVerificationResponse {
  @ApiProperty({ description: 'issued and not revoked' }) valid: boolean;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ type: Date, nullable: true }) revokedAt: Date | null;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the course’s title' }) course: string;
  @ApiProperty() serial: string;
  @ApiProperty() issuedAt: Date;
  @ApiProperty() creditHours: number;
  @ApiProperty({ description: 'the issuing body printed on the certificate' }) issuer: string;
}
