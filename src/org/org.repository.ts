import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, Repository } from 'typeorm';
import { like } from '../common/like';
import { Branch, BranchKind } from './branch.entity';
import { Unit } from './unit.entity';

export interface UnitFilter {
  /** A unit admin's unit: only it is listed. */
  scopeUnitId: string | null;
  q?: string;
  skip: number;
  take: number;
}

export interface BranchFilter {
  scopeUnitId: string | null;
  unitId?: string;
  kind?: BranchKind;
  q?: string;
  skip: number;
  take: number;
}

/** A unit or branch to create on the way (roster import), with its stable code. */
export interface NewUnit {
  name: string;
  code: string;
}
export interface NewBranch {
  unitId: string;
  name: string;
  code: string;
  kind: BranchKind;
}

/** Every query on `units` and `branches`. */
@Injectable()
export class OrgRepository {
  constructor(
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
  ) {}

  insertUnit(values: NewUnit): Promise<Unit> {
    return this.units.save(this.units.create(values));
  }

  saveUnit(unit: Unit): Promise<Unit> {
    return this.units.save(unit);
  }

  findUnit(id: string): Promise<Unit | null> {
    return this.units.findOne({ where: { id } });
  }

  /** The unit with this stable code, if any (the demo seed finds its units so). */
  findUnitByCode(code: string): Promise<Unit | null> {
    return this.units.findOneBy({ code });
  }

  /** The unit's name, or null when there is no such unit. */
  async unitName(id: string): Promise<string | null> {
    const [row] = await this.units.query(`SELECT name FROM units WHERE id = ?`, [id]);
    return row ? String(row.name) : null;
  }

  /** The id of the unit whose name (or code) is `value`, if any. */
  async findUnitIdBy(field: 'name' | 'code', value: string): Promise<string | null> {
    return (await this.units.findOne({ where: { [field]: value }, select: { id: true } }))?.id ?? null;
  }

  pageUnits(filter: UnitFilter): Promise<[Unit[], number]> {
    const qb = this.units.createQueryBuilder('u').orderBy('u.id', 'ASC').skip(filter.skip).take(filter.take);
    if (filter.scopeUnitId !== null) qb.andWhere('u.id = :scope', { scope: filter.scopeUnitId });
    if (filter.q) qb.andWhere(new Brackets((w) => w.where('u.name LIKE :q', { q: like(filter.q!) }).orWhere('u.code LIKE :q')));
    return qb.getManyAndCount();
  }

  insertBranch(values: NewBranch): Promise<Branch> {
    return this.branches.save(this.branches.create(values));
  }

  saveBranch(branch: Branch, manager?: EntityManager): Promise<Branch> {
    return (manager ?? this.branches.manager).save(Branch, branch);
  }

  /** The branch with its unit. */
  findBranch(id: string): Promise<Branch | null> {
    return this.branches.findOne({ where: { id }, relations: { unit: true } });
  }

  async findBranchIdByName(unitId: string, name: string): Promise<string | null> {
    return (await this.branches.findOne({ where: { unitId, name }, select: { id: true } }))?.id ?? null;
  }

  /** The branch with this stable code, if any (the demo seed finds its branches so). */
  findBranchByCode(code: string): Promise<Branch | null> {
    return this.branches.findOneBy({ code });
  }

  async findBranchIdByCode(code: string): Promise<string | null> {
    return (await this.branches.findOne({ where: { code }, select: { id: true } }))?.id ?? null;
  }

  /** A page of branches, each with its unit. */
  pageBranches(filter: BranchFilter): Promise<[Branch[], number]> {
    const qb = this.branches.createQueryBuilder('b').leftJoinAndSelect('b.unit', 'unit').orderBy('b.id', 'ASC').skip(filter.skip).take(filter.take);
    if (filter.scopeUnitId !== null) qb.andWhere('b.unit_id = :scope', { scope: filter.scopeUnitId });
    if (filter.unitId) qb.andWhere('b.unit_id = :unitId', { unitId: filter.unitId });
    if (filter.kind) qb.andWhere('b.kind = :kind', { kind: filter.kind });
    if (filter.q) qb.andWhere(new Brackets((w) => w.where('b.name LIKE :q', { q: like(filter.q!) }).orWhere('b.code LIKE :q')));
    return qb.getManyAndCount();
  }

  findUnitsByNames(names: string[], manager?: EntityManager): Promise<Unit[]> {
    if (!names.length) return Promise.resolve([]);
    return (manager ?? this.units.manager).find(Unit, { where: { name: In(names) } });
  }

  findBranchesInUnits(unitIds: string[], manager?: EntityManager): Promise<Branch[]> {
    if (!unitIds.length) return Promise.resolve([]);
    return (manager ?? this.branches.manager).find(Branch, { where: { unitId: In(unitIds) } });
  }

  /** Many units in one statement (a roster's new units). */
  async insertUnits(values: NewUnit[], manager?: EntityManager): Promise<void> {
    if (!values.length) return;
    await (manager ?? this.units.manager).createQueryBuilder().insert().into(Unit).values(values).updateEntity(false).execute();
  }

  async insertBranches(values: NewBranch[], manager?: EntityManager): Promise<void> {
    if (!values.length) return;
    await (manager ?? this.branches.manager).createQueryBuilder().insert().into(Branch).values(values).updateEntity(false).execute();
  }

  // For other modules: names for a page of rows, and subqueries to filter by place.

  /** Unit and branch names by id, in one query (inside the caller's transaction when given): `{ units, branches }` maps from id to name. */
  async namesByIds(unitIds: string[], branchIds: string[], manager?: EntityManager): Promise<{ units: Map<string, string>; branches: Map<string, string> }> {
    const units = new Map<string, string>();
    const branches = new Map<string, string>();
    const unique = (ids: string[]) => [...new Set(ids)];
    const parts: string[] = [];
    const params: unknown[] = [];
    if (unitIds.length) {
      parts.push(`SELECT 'unit' AS kind, id, name FROM units WHERE id IN (?)`);
      params.push(unique(unitIds));
    }
    if (branchIds.length) {
      parts.push(`SELECT 'branch' AS kind, id, name FROM branches WHERE id IN (?)`);
      params.push(unique(branchIds));
    }
    if (!parts.length) return { units, branches };
    const rows: { kind: 'unit' | 'branch'; id: string; name: string }[] = await (manager ?? this.units.manager).query(parts.join(' UNION ALL '), params);
    for (const row of rows) (row.kind === 'unit' ? units : branches).set(String(row.id), row.name);
    return { units, branches };
  }

  /** Which of these units exist (only the given one, when given). */
  async unitIdsAmong(unitIds: string[], unitId: string | null): Promise<Set<string>> {
    if (!unitIds.length) return new Set();
    const rows: { id: string }[] = await this.units.query(
      `SELECT un.id FROM units un WHERE un.id IN (?)${unitId !== null ? ' AND un.id = ?' : ''}`,
      [unitIds, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** Which of these branches exist (in the unit, when given). */
  async branchIdsAmong(branchIds: string[], unitId: string | null): Promise<Set<string>> {
    if (!branchIds.length) return new Set();
    const rows: { id: string }[] = await this.branches.query(
      `SELECT b.id FROM branches b WHERE b.id IN (?)${unitId !== null ? ' AND b.unit_id = ?' : ''}`,
      [branchIds, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** `SELECT id FROM branches WHERE unit_id = ?`, to compose as `branch_id IN (…)`. */
  branchIdsInUnit(unitId: string): { sql: string; params: unknown[] } {
    return { sql: 'SELECT id FROM branches WHERE unit_id = ?', params: [unitId] };
  }

  /** Every branch with its unit and kind, by id: the list an assessment round scores. */
  async allBranches(): Promise<{ id: string; unitId: string; kind: 'staff' | 'student' }[]> {
    const rows: { id: string; unit_id: string; kind: 'staff' | 'student' }[] = await this.branches.query(`SELECT id, unit_id, kind FROM branches ORDER BY id`);
    return rows.map((r) => ({ id: String(r.id), unitId: String(r.unit_id), kind: r.kind }));
  }
}
