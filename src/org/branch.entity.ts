import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { Unit } from './unit.entity';

export const BRANCH_KINDS = ['staff', 'student'] as const;
export type BranchKind = (typeof BRANCH_KINDS)[number];

/** A Party branch (党支部); every secretary belongs to one. */
@Entity('branches')
@Index('uq_branches_unit_name', ['unitId', 'name'], { unique: true })
export class Branch {
  @IdColumn()
  id: string;

  @RefColumn('unit_id')
  unitId: string;

  @ManyToOne(() => Unit, (unit) => unit.branches, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: Unit;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 50, unique: true })
  code: string;

  @Column({ type: 'enum', enum: BRANCH_KINDS, default: 'staff' })
  kind: BranchKind;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
