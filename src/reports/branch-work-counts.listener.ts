import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { BranchWorkCountsRepository } from './branch-work-counts.repository';

/** Keeps the stored counts of a branch's records current, in the same transaction as the record's change. */
@Injectable()
export class BranchWorkCountsListener {
  constructor(private readonly counts: BranchWorkCountsRepository) {}

  @OnEventInTransaction('branchRecord.changed')
  async recordChanged({ branchId, year, previousYear }: InTransactionEvents['branchRecord.changed'], manager: EntityManager): Promise<void> {
    await this.counts.recount(manager, branchId, year);
    if (previousYear !== null && previousYear !== year) await this.counts.recount(manager, branchId, previousYear);
  }
}
