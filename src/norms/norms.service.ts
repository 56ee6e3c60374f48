import { Injectable } from '@nestjs/common';
import { assertDepartment, type AuthUser } from '../common/auth-user';
import { inputException, problem, type InputProblem } from '../common/validation-errors';
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
        const next = ((await this.norms.currentVersion(year, manager))?.version ?? 0) + 1;
        return (await this.norms.insertVersion(manager, year, next, actorId, items)) ? next : null;
      });
      // The version this call added, even when another save landed on top of it a moment later.
      if (added !== null) return this.versionSet(year, added);
    }
  }

  private async versionSet(year: number, version: number): Promise<NormSet> {
    const row = (await this.norms.findVersion(year, version))!;
    return { year, versionId: row.id, version, items: await this.norms.normsOf(row.id) };
  }

  /** The department's edit of a year's norms: each kind once, none of the reserved ones, then a new version. */
  async saveAsDepartment(year: number, items: NormInput[], actor: AuthUser) {
    assertDepartment(actor, '修改工作规范');
    const problems: InputProblem[] = [];
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (RESERVED_KINDS.includes(item.kind)) problems.push({ ...problem(`items.${i}.kind`, 'format'), message: `第 ${i + 1} 项的类型标识「${item.kind}」留作他用，请换一个` });
      else if (seen.has(item.kind)) problems.push({ ...problem(`items.${i}.kind`, 'format'), message: `第 ${i + 1} 项的类型标识「${item.kind}」与前面重复` });
      seen.add(item.kind);
    });
    if (problems.length) throw inputException(problems, 'NORM_KIND_INVALID');
    const dedupe = (list: string[]) => [...new Set(list)];
    return normSetView(await this.replace(year, items.map((item) => ({ ...item, branchKinds: dedupe(item.branchKinds), requires: dedupe(item.requires) })) as NormInput[], actor.id));
  }
}

/** Kinds a norm may not take: plan items of the branch's own are `own`, records outside the norms `other`. */
export const RESERVED_KINDS = ['own', 'other'];

/** What GET /api/norms answers. */
export function normSetView(set: NormSet) {
  return {
    year: set.year,
    version: set.version,
    items: set.items.map((n) => ({ id: n.id, kind: n.kind, name: n.name, minCount: n.minCount, per: n.per, branchKinds: n.branchKinds, requires: n.requires })),
  };
}

function toInput(norm: Norm): NormInput {
  return { kind: norm.kind, name: norm.name, minCount: norm.minCount, per: norm.per, branchKinds: norm.branchKinds, requires: norm.requires };
}
