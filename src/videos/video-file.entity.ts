import { Column, Entity } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';

/** The stored video of a video lesson: one per activity; replacing it replaces this row and the file. */
@Entity('video_files')
export class VideoFile {
  @IdColumn()
  id: string;

  @RefColumn('activity_id', { unique: true, references: () => Activity, onDelete: 'CASCADE' })
  activityId: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 300 })
  storageKey: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 50 })
  mimeType: string;

  @Column({ name: 'size_bytes', type: 'bigint', unsigned: true, transformer: decimalNumber })
  sizeBytes: number;

  /** Read from the file itself at upload, never taken from the client. */
  @Column({ name: 'duration_seconds', type: 'decimal', precision: 10, scale: 3, transformer: decimalNumber })
  durationSeconds: number;

  @Column({ name: 'original_name', type: 'varchar', length: 255 })
  originalName: string;

  @RefColumn('uploaded_by', { nullable: true })
  uploadedBy: string | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
