import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';

/**
 * One version of a year's work norms (一规). Saving the norms adds a version rather than changing the old one, so
 * a record accepted under an earlier version keeps pointing at the norms it was judged by.
 */
@Entity('norm_versions')
@Index('uq_norm_versions_year_version', ['year', 'version'], { unique: true })
export class NormVersion {
  @IdColumn()
  id: string;

  @Column({ type: 'smallint', unsigned: true })
  year: number;

  @Column({ type: 'int', unsigned: true })
  version: number;

  /** Who saved it; null for the set copied from `content/norms` or from the year before. */
  @RefColumn('created_by', { nullable: true })
  createdBy: string | null;

  @CreatedAt()
  createdAt: Date;
}
