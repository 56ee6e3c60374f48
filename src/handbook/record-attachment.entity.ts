import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { BranchRecord } from './branch-record.entity';

export const ATTACHMENT_KINDS = ['photo', 'signInSheet', 'document'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** A photo, scanned sign-in sheet or PDF attached to a record; the bytes live in storage under `storageKey`. */
@Entity('record_attachments')
@Index('idx_record_attachments_record', ['recordId'])
export class RecordAttachment {
  @IdColumn()
  id: string;

  @RefColumn('record_id', { references: () => BranchRecord, onDelete: 'CASCADE' })
  recordId: string;

  @Column({ type: 'enum', enum: ATTACHMENT_KINDS, default: 'photo' })
  kind: AttachmentKind;

  /** The type its bytes show (image/jpeg, image/png, image/heic, application/pdf), never the name's. */
  @Column({ name: 'mime_type', type: 'varchar', length: 50 })
  mimeType: string;

  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName: string;

  @Column({ type: 'int', unsigned: true })
  size: number;

  @Column({ name: 'storage_key', type: 'varchar', length: 200 })
  storageKey: string;

  @RefColumn('uploaded_by')
  uploadedBy: string;

  @CreatedAt()
  createdAt: Date;
}
