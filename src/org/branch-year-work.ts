import { Column } from 'typeorm';
import { IdColumn, RefColumn, ReviewedWork } from '../database/columns';
import { Branch } from './branch.entity';

/** A branch's reviewed work of one year (its annual plan, a handbook record): the branch, the year, the review. */
export abstract class BranchYearWork extends ReviewedWork {
  @IdColumn()
  id: string;

  @RefColumn('branch_id', { references: () => Branch })
  branchId: string;

  /** The Beijing year it belongs to. */
  @Column({ type: 'smallint', unsigned: true })
  year: number;
}
