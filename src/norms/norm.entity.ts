import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn } from '../database/columns';
import type { BranchKind } from '../org/branch.entity';
import { NormVersion } from './norm-version.entity';

export const NORM_PERIODS = ['month', 'quarter', 'year'] as const;
export type NormPeriod = (typeof NORM_PERIODS)[number];

/** What a record of the activity must hold before it can be submitted. */
export const RECORD_REQUIREMENTS = ['attendance', 'topic', 'minutes', 'photos', 'signInSheet'] as const;
export type RecordRequirement = (typeof RECORD_REQUIREMENTS)[number];

/** One required kind of branch activity in a version of the norms: how often, for which branches, what its record holds. */
@Entity('norms')
@Index('uq_norms_version_kind', ['versionId', 'kind'], { unique: true })
export class Norm {
  @IdColumn()
  id: string;

  @RefColumn('version_id', { references: () => NormVersion, onDelete: 'CASCADE' })
  versionId: string;

  /** A stable key (`branch_meeting`, `theme_day`, …) that plans and records carry across versions. */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** At least this many in each period. */
  @Column({ name: 'min_count', type: 'smallint', unsigned: true })
  minCount: number;

  @Column({ type: 'enum', enum: NORM_PERIODS })
  per: NormPeriod;

  @Column({ name: 'branch_kinds', type: 'simple-json' })
  branchKinds: BranchKind[];

  @Column({ type: 'simple-json' })
  requires: RecordRequirement[];

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  position: number;
}
