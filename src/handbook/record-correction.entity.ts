import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { BranchRecord } from './branch-record.entity';

/** A correction appended to an accepted (locked) record: which field, from what to what, who, when and why. */
@Entity('record_corrections')
@Index('idx_record_corrections_record', ['recordId', 'createdAt'])
export class RecordCorrection {
  @IdColumn()
  id: string;

  @RefColumn('record_id', { references: () => BranchRecord, onDelete: 'CASCADE' })
  recordId: string;

  @Column({ type: 'varchar', length: 40 })
  field: string;

  @Column({ name: 'old_value', type: 'text', nullable: true })
  oldValue: string | null;

  @Column({ name: 'new_value', type: 'text' })
  newValue: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @RefColumn('author_id')
  authorId: string;

  @CreatedAt()
  createdAt: Date;
}
