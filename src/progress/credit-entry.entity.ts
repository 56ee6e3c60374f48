import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/**
 * The 学时 ledger: append-only. A completion adds the activity's hours; a withdrawn completion adds the
 * negative. `entryKey` is unique, so the same event recorded twice adds one entry.
 */
@Entity('credit_entries')
@Index('idx_credit_entries_course_user', ['courseId', 'userId'])
@Index('idx_credit_entries_user', ['userId', 'id'])
export class CreditEntry {
  @IdColumn()
  id: string;

  @Column({ name: 'entry_key', type: 'varchar', length: 120, unique: true })
  entryKey: string;

  @RefColumn('course_id')
  courseId: string;

  @RefColumn('user_id')
  userId: string;

  @RefColumn('activity_id', { nullable: true })
  activityId: string | null;

  @Column({ type: 'decimal', precision: 6, scale: 1, transformer: decimalNumber })
  hours: number;

  @Column({ type: 'enum', enum: ['online', 'offline'] })
  source: 'online' | 'offline';

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  @CreatedAt()
  createdAt: Date;
}
