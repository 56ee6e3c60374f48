import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';
import type { Norm } from './norm.entity';
import { shippedNorms, type NormInput } from './norm-set';
import { NormsRepository } from './norms.repository';

/** A year's norms in force: the newest version and its items. */
export interface NormSet {
  year: number;
  versionId: string;
  version: number;
  items: Norm[];
}

/**
 * The work norms (一规), one set per year. A year is judged by its own norms: the first time a year is asked
 * for, it starts as a copy of the closest earlier year's norms (or the shipped default) and is stored, so later
 * edits of other years never change it. Saving adds a version; records keep the norm they were judged by.
 */
@Injectable()
export class NormsService {
  constructor(
    private readonly norms: NormsRepository,
    private readonly transactions: Transactions,
  ) {}

  async forYear(year: number): Promise<NormSet> {
    const current = await this.norms.currentVersion(year);
    if (current) return { year, versionId: current.id, version: current.version, items: await this.norms.normsOf(current.id) };
    const before = await this.norms.latestVersionBefore(year);
    const start: NormInput[] = before ? (await this.norms.normsOf(before.id)).map(toInput) : shippedNorms();
    // Two first readers at once: one inserts version 1, the other's insert is ignored; both read what was stored.
    await this.transactions.run((manager) => this.norms.insertVersion(manager, year, 1, null, start));
    return this.forYear(year);
  }

  /** Stores `items` as the year's newest version (saving the same moment twice: one of them retries on top). */
  async replace(year: number, items: NormInput[], actorId: string): Promise<NormSet> {
    await this.forYear(year);
    for (;;) {
      const added = await this.transactions.run(async (manager) => {
        const current = await this.norms.currentVersion(year, manager);
        return this.norms.insertVersion(manager, year, (current?.version ?? 0) + 1, actorId, items);
      });
      if (added) return this.forYear(year);
    }
  }
}

function toInput(norm: Norm): NormInput {
  return { kind: norm.kind, name: norm.name, minCount: norm.minCount, per: norm.per, branchKinds: norm.branchKinds, requires: norm.requires };
}
