import { Column, Entity, Index } from 'typeorm';
import { CourseLearnerRow } from '../courses/learner-rows';
import { CreatedAt, RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/**
 * A completion certificate (结业证书) as issued: the learner's name, unit, branch and credit hours are copied
 * at issue time, so a later rename or transfer never changes a document already handed out.
 */
@Entity('certificates')
// One live certificate per learner and course, enforced by MySQL: `live` is 1 while valid and NULL once
// revoked, and NULLs never collide in a unique key, so revoked ones may pile up beside the one live one.
@Index('uq_certificates_live', ['courseId', 'userId', 'live'], { unique: true })
// Serials come from a per-course counter; the key makes a double allocation impossible, whatever the code does.
@Index('uq_certificates_course_seq', ['courseId', 'seq'], { unique: true })
@Index('uq_certificates_code_hash', ['codeHash'], { unique: true })
// A certificate is replaced at most once, even by two admins clicking at the same moment.
@Index('uq_certificates_reissue_of', ['reissueOfId'], { unique: true })
@Index('idx_certificates_course_unit', ['courseId', 'unitId'])
@Index('idx_certificates_course_branch', ['courseId', 'branchId'])
@Index('idx_certificates_user', ['userId'])
export class Certificate extends CourseLearnerRow {
  /** The compile run that issued it (null for a reissue). */
  @RefColumn('batch_id', { nullable: true })
  batchId: string | null;

  /** Position in the course's gap-free sequence; the serial is `<year>-<seq, 7 digits>`. */
  @Column({ type: 'int', unsigned: true })
  seq: number;

  @Column({ type: 'varchar', length: 20 })
  serial: string;

  /** Printed on the certificate and in its QR code; looked up only through `codeHash`. */
  @Column({ name: 'verification_code', type: 'varchar', length: 32 })
  verificationCode: string;

  /** SHA-256 (hex) of the verification code: the lookup compares hashes, so timing says nothing about the code. */
  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  @Column({ type: 'boolean', nullable: true })
  live: true | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @RefColumn('unit_id', { nullable: true })
  unitId: string | null;

  @Column({ name: 'unit_name', type: 'varchar', length: 100, nullable: true })
  unitName: string | null;

  @RefColumn('branch_id', { nullable: true })
  branchId: string | null;

  @Column({ name: 'branch_name', type: 'varchar', length: 100, nullable: true })
  branchName: string | null;

  @Column({ name: 'course_title', type: 'varchar', length: 200 })
  courseTitle: string;

  @Column({ name: 'credit_hours', type: 'decimal', precision: 7, scale: 1, transformer: decimalNumber })
  creditHours: number;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt: Date;

  /** When the holder completed the course (their last required completion), printed on the certificate. */
  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;

  /** Where the PDF is stored; null until it has been rendered (a resumed compile renders those first). */
  @Column({ name: 'pdf_key', type: 'varchar', length: 255, nullable: true })
  pdfKey: string | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason: string | null;

  @RefColumn('revoked_by', { nullable: true })
  revokedBy: string | null;

  /** The certificate this one replaces (重新颁发). */
  @RefColumn('reissue_of_id', { nullable: true })
  reissueOfId: string | null;

  @CreatedAt()
  createdAt: Date;
}
