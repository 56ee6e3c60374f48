import { Column, Entity } from 'typeorm';
import { RefColumn } from '../database/columns';
import { BranchRecord } from './branch-record.entity';

/** A member's attendance at a record's activity; name and category are copied so the record reads as it was held. */
@Entity('record_attendance')
export class RecordAttendance {
  @RefColumn('record_id', { primary: true, references: () => BranchRecord, onDelete: 'CASCADE' })
  recordId: string;

  @RefColumn('member_id', { primary: true })
  memberId: string;

  @Column({ name: 'member_name', type: 'varchar', length: 50 })
  memberName: string;

  @Column({ type: 'enum', enum: ['full', 'probationary'] })
  category: 'full' | 'probationary';

  @Column({ type: 'boolean' })
  present: boolean;

  /** Why an absent member was absent (请假事由). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;
}
