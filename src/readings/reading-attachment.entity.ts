import { Column, Entity, Index } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/** A PDF handed out with a reading (文件原文, 辅导材料). */
@Entity('reading_attachments')
@Index('idx_reading_attachments_activity', ['activityId'])
export class ReadingAttachment {
  @IdColumn()
  id: string;

  @RefColumn('activity_id', { references: () => Activity, onDelete: 'CASCADE' })
  activityId: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 300 })
  storageKey: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'size_bytes', type: 'bigint', unsigned: true, transformer: decimalNumber })
  sizeBytes: number;

  @RefColumn('uploaded_by', { nullable: true })
  uploadedBy: string | null;

  @CreatedAt()
  createdAt: Date;
}
