import { Column, Entity } from 'typeorm';
import { RefColumn } from '../database/columns';

/**
 * The last serial number handed out per course. Issuing locks this row (SELECT … FOR UPDATE) and bumps it
 * in the same transaction as the inserts, so a rolled-back chunk gives its numbers back: no gaps, no repeats.
 */
@Entity('certificate_sequences')
export class CertificateSequence {
  @RefColumn('course_id', { primary: true })
  courseId: string;

  @Column({ name: 'last_seq', type: 'int', unsigned: true, default: 0 })
  lastSeq: number;
}
