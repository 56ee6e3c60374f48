import { Column, Entity, OneToMany } from 'typeorm';
import { CreatedAt, IdColumn, UpdatedAt } from '../database/columns';
import type { Branch } from './branch.entity';

/** A second-level Party organisation (二级党组织), e.g. a college's Party committee. */
@Entity('units')
export class Unit {
  @IdColumn()
  id: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 50, unique: true })
  code: string;

  @OneToMany('Branch', 'unit')
  branches?: Branch[];

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
