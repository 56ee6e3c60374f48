import { Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, type AuthUser } from '../common/auth-user';
import type { Norm, NormPeriod } from '../norms/norm.entity';
import { NormsService } from '../norms/norms.service';
import { beijingYearMonth, periodsBegun, periodsEnded } from './branch-work-periods';
import { BranchInScope, BranchWorkRepository, OversightRecord } from './branch-work.repository';

export const BRANCH_WORK_SORTS = ['overdue', 'name'] as const;
export type BranchWorkSort = (typeof BRANCH_WORK_SORTS)[number];

export interface NormHeading {
  normId: string;
  kind: string;
  name: string;
  minCount: number;
  per: NormPeriod;
  branchKinds: string[];
}

/** One branch against one norm that applies to it. */
export interface NormFigures {
  normId: string;
  /** Records the norm asks for by now: minCount × the periods begun (the whole year for a past year). */
  required: number;
  /** Accepted records of the norm's kind this year. */
  accepted: number;
  /** Records still missing for the periods that are over (minCount × periods ended − accepted, never below 0). */
  overdue: number;
}

export interface BranchCompliance {
  branchId: string;
  name: string;
  kind: 'staff' | 'student';
  unitId: string;
  unit: string;
  norms: NormFigures[];
  required: number;
  accepted: number;
  overdue: number;
  waitingReview: number;
}

export interface UnitCompliance {
  unitId: string;
  name: string;
  branches: number;
  /** Branches with at least one overdue record. */
  branchesBehind: number;
  required: number;
  accepted: number;
  overdue: number;
  waitingReview: number;
}

export interface ComplianceQuery {
  year?: number;
  unitId?: string;
  behind?: 'true' | 'false';
  sort?: BranchWorkSort;
}

export interface ComplianceScope {
  year: number;
  unitId: string | null;
  /** Beijing date the figures are counted at (YYYY-MM-DD). */
  asOf: string;
  norms: NormHeading[];
}

/**
 * Oversight of the branches' year (一规一表一册): each branch against each norm that applies to its kind —
 * records required so far, accepted, overdue — and records waiting for review; rolled up by unit; one branch's
 * records for the drill-down. Unit admins see their own unit (another unit is a 404), the department all.
 */
@Injectable()
export class BranchWorkService {
  constructor(
    private readonly repository: BranchWorkRepository,
    private readonly norms: NormsService,
  ) {}

  /** Every branch in scope (sorted and filtered as asked) and the by-unit rollup. */
  async compliance(actor: AuthUser, query: ComplianceQuery, now = new Date()): Promise<ComplianceScope & { branches: BranchCompliance[]; byUnit: UnitCompliance[] }> {
    const unitId = await this.unitScope(actor, query.unitId);
    const year = query.year ?? beijingYearMonth(now).year;
    const norms = (await this.norms.forYear(year)).items;
    const [branches, counts] = await Promise.all([this.repository.branches({ unitId }), this.repository.recordCounts(year, norms.map((n) => n.kind), { unitId })]);
    const rows = figuresOf(branches, counts, norms, year, now);
    const byUnit = rollUp(rows);
    let listed = query.behind === 'true' ? rows.filter((r) => r.overdue > 0) : rows;
    if ((query.sort ?? 'overdue') === 'overdue') listed = [...listed].sort((a, b) => b.overdue - a.overdue); // stable: unit, then name, within ties
    return { ...scopeOf(year, unitId, norms, now), branches: listed, byUnit };
  }

  /** One branch's figures and its records of the year (every status), for the drill-down. */
  async branch(actor: AuthUser, branchId: string, year: number | undefined, now = new Date()): Promise<ComplianceScope & { unitId: string; branch: BranchCompliance; records: OversightRecord[] }> {
    const unitId = adminUnitScope(actor);
    const [found] = await this.repository.branches({ unitId, branchId });
    if (!found) throw new NotFoundException({ message: '党支部不存在', code: 'BRANCH_NOT_FOUND' });
    const forYear = year ?? beijingYearMonth(now).year;
    const norms = (await this.norms.forYear(forYear)).items;
    const counts = await this.repository.recordCounts(forYear, norms.map((n) => n.kind), { unitId, branchId });
    const [row] = figuresOf([found], counts, norms, forYear, now);
    return { ...scopeOf(forYear, found.unitId, norms, now), unitId: found.unitId, branch: row, records: await this.repository.recordsOf(branchId, forYear) };
  }

  /** A branch's name and unit (for reminders), or null when there is no such branch. */
  async branchNamed(branchId: string): Promise<{ name: string; unitId: string; unit: string } | null> {
    const [found] = await this.repository.branches({ unitId: null, branchId });
    return found ? { name: found.name, unitId: found.unitId, unit: found.unit } : null;
  }

  private async unitScope(actor: AuthUser, asked: string | undefined): Promise<string | null> {
    const own = adminUnitScope(actor);
    if (asked === undefined) return own;
    if ((own !== null && asked !== own) || !(await this.repository.unitExists(asked))) {
      throw new NotFoundException({ message: '二级党组织不存在', code: 'UNIT_NOT_FOUND' });
    }
    return asked;
  }
}

function scopeOf(year: number, unitId: string | null, norms: Norm[], now: Date): ComplianceScope {
  return {
    year,
    unitId,
    asOf: new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10),
    norms: norms.map((n) => ({ normId: n.id, kind: n.kind, name: n.name, minCount: n.minCount, per: n.per, branchKinds: n.branchKinds })),
  };
}

function figuresOf(branches: BranchInScope[], counts: { branchId: string; accepted: number[]; waiting: number }[], norms: Norm[], year: number, now: Date): BranchCompliance[] {
  const byBranch = new Map(counts.map((c) => [c.branchId, c]));
  const due = norms.map((n) => ({ required: n.minCount * periodsBegun(n.per, year, now), ended: n.minCount * periodsEnded(n.per, year, now) }));
  return branches.map((b) => {
    const count = byBranch.get(b.id);
    const figures: NormFigures[] = [];
    norms.forEach((norm, i) => {
      if (!norm.branchKinds.includes(b.kind)) return;
      const accepted = count?.accepted[i] ?? 0;
      figures.push({ normId: norm.id, required: due[i].required, accepted, overdue: Math.max(0, due[i].ended - accepted) });
    });
    return {
      branchId: b.id,
      name: b.name,
      kind: b.kind,
      unitId: b.unitId,
      unit: b.unit,
      norms: figures,
      required: sum(figures.map((f) => f.required)),
      accepted: sum(figures.map((f) => f.accepted)),
      overdue: sum(figures.map((f) => f.overdue)),
      waitingReview: count?.waiting ?? 0,
    };
  });
}

function rollUp(rows: BranchCompliance[]): UnitCompliance[] {
  const units = new Map<string, UnitCompliance>();
  for (const r of rows) {
    let unit = units.get(r.unitId);
    if (!unit) units.set(r.unitId, (unit = { unitId: r.unitId, name: r.unit, branches: 0, branchesBehind: 0, required: 0, accepted: 0, overdue: 0, waitingReview: 0 }));
    unit.branches++;
    if (r.overdue > 0) unit.branchesBehind++;
    unit.required += r.required;
    unit.accepted += r.accepted;
    unit.overdue += r.overdue;
    unit.waitingReview += r.waitingReview;
  }
  return [...units.values()];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
