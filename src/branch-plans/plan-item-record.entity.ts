import { Column, Entity, Index } from 'typeorm';
import { RefColumn } from '../database/columns';
import { PlanItem } from './plan-item.entity';

/**
 * Which records fulfil a plan item, kept by the plans module from the handbook's record events (so plans never
 * read the handbook's tables): an item is done once one of its records is accepted.
 */
@Entity('plan_item_records')
@Index('idx_plan_item_records_record', ['recordId'])
export class PlanItemRecord {
  @RefColumn('plan_item_id', { primary: true, references: () => PlanItem, onDelete: 'CASCADE' })
  planItemId: string;

  @RefColumn('record_id', { primary: true })
  recordId: string;

  @Column({ type: 'boolean', default: false })
  accepted: boolean;
}
