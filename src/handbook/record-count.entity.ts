import { Column, Entity } from 'typeorm';
import { RefColumn } from '../database/columns';

/**
 * A branch's records of one kind in one year, counted by status: kept by RecordsService in the same
 * transaction as every change of a record, so the compliance overview (src/reports) over thousands of branches
 * reads one row per branch and kind instead of counting every record.
 */
@Entity('branch_work_counts')
export class RecordCount {
  @Column({ type: 'smallint', unsigned: true, primary: true })
  year: number;

  @RefColumn('branch_id', { primary: true })
  branchId: string;

  @Column({ type: 'varchar', length: 40, primary: true })
  kind: string;

  @Column({ type: 'int', unsigned: true, default: 0 })
  accepted: number;

  /** Waiting for review. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  submitted: number;
}
