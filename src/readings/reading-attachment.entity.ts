import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { CreatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/** A PDF handed out with a reading (文件原文, 辅导材料). */
@Entity('reading_attachments')
@Index('idx_reading_attachments_activity', ['activityId'])
export class ReadingAttachment {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'activity_id', type: 'bigint', unsigned: true })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: Activity;

  @Column({ name: 'storage_key', type: 'varchar', length: 300 })
  storageKey: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'size_bytes', type: 'bigint', unsigned: true, transformer: decimalNumber })
  sizeBytes: number;

  @Column({ name: 'uploaded_by', type: 'bigint', unsigned: true, nullable: true })
  uploadedBy: string | null;

  @CreatedAt()
  createdAt: Date;
}
