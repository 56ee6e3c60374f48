import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { Case } from './case.entity';

export const CASE_FILE_KINDS = ['photo', 'document'] as const;
export type CaseFileKind = (typeof CASE_FILE_KINDS)[number];

/** A photo (shown in the case) or a document (downloaded) its author added; the bytes live in storage under `storageKey`. */
@Entity('case_files')
@Index('idx_case_files_case', ['caseId', 'id'])
export class CaseFile {
  @IdColumn()
  id: string;

  @RefColumn('case_id', { references: () => Case, onDelete: 'CASCADE' })
  caseId: string;

  /** From the bytes: an image is a photo, anything else a document. */
  @Column({ type: 'enum', enum: CASE_FILE_KINDS })
  kind: CaseFileKind;

  /** The type its bytes show, never the name's. */
  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
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
