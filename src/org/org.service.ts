import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { adminUnitScope, assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { unknownTargetsException } from '../common/validation-errors';
import { Branch } from './branch.entity';
import { CreateBranchDto, CreateUnitDto, ListBranchesQuery, ListUnitsQuery, UpdateBranchDto, UpdateUnitDto } from './dto/org.dto';
import { Unit } from './unit.entity';

export interface UnitView {
  id: string;
  name: string;
  code: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface BranchView {
  id: string;
  unitId: string;
  unit: { id: string; name: string } | null;
  name: string;
  code: string;
  kind: Branch['kind'];
  createdAt: Date;
  updatedAt: Date;
}

export type BranchMovedListener = (manager: EntityManager, branchId: string, unitId: string) => Promise<void>;

/** Units (二级党组织) and branches (党支部). A unit admin sees and changes only their own unit. */
@Injectable()
export class OrgService {
  private readonly branchMovedListeners: BranchMovedListener[] = [];

  constructor(
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
  ) {}

  async createUnit(dto: CreateUnitDto, actor: AuthUser): Promise<UnitView> {
    assertDepartment(actor, '新建二级党组织');
    await this.assertUnitUnique(dto.name, dto.code);
    return toUnitView(await this.units.save(this.units.create(dto)));
  }

  async listUnits(query: ListUnitsQuery, actor: AuthUser): Promise<Page<UnitView>> {
    const qb = this.units.createQueryBuilder('u').orderBy('u.id', 'ASC').skip(query.skip).take(query.pageSize);
    const scope = adminUnitScope(actor);
    if (scope !== null) qb.andWhere('u.id = :scope', { scope });
    const q = query.q;
    if (q) qb.andWhere(new Brackets((w) => w.where('u.name LIKE :q', { q: like(q) }).orWhere('u.code LIKE :q')));
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toUnitView), total, page: query.page, pageSize: query.pageSize };
  }

  async getUnit(id: string, actor: AuthUser): Promise<UnitView> {
    return toUnitView(await this.visibleUnit(id, actor));
  }

  async updateUnit(id: string, dto: UpdateUnitDto, actor: AuthUser): Promise<UnitView> {
    const unit = await this.visibleUnit(id, actor);
    await this.assertUnitUnique(dto.name, dto.code, unit.id);
    if (dto.name !== undefined) unit.name = dto.name;
    if (dto.code !== undefined) unit.code = dto.code;
    return toUnitView(await this.units.save(unit));
  }

  async createBranch(dto: CreateBranchDto, actor: AuthUser): Promise<BranchView> {
    const unit = await this.visibleUnit(dto.unitId, actor, 'unitId');
    await this.assertBranchUnique(unit.id, dto.name, dto.code);
    const saved = await this.branches.save(
      this.branches.create({ unitId: unit.id, name: dto.name, code: dto.code, kind: dto.kind ?? 'staff' }),
    );
    return toBranchView({ ...saved, unit });
  }

  async listBranches(query: ListBranchesQuery, actor: AuthUser): Promise<Page<BranchView>> {
    const qb = this.branches
      .createQueryBuilder('b')
      .leftJoinAndSelect('b.unit', 'unit')
      .orderBy('b.id', 'ASC')
      .skip(query.skip)
      .take(query.pageSize);
    const scope = adminUnitScope(actor);
    if (scope !== null) qb.andWhere('b.unit_id = :scope', { scope });
    if (query.unitId) qb.andWhere('b.unit_id = :unitId', { unitId: query.unitId });
    if (query.kind) qb.andWhere('b.kind = :kind', { kind: query.kind });
    const q = query.q;
    if (q) qb.andWhere(new Brackets((w) => w.where('b.name LIKE :q', { q: like(q) }).orWhere('b.code LIKE :q')));
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toBranchView), total, page: query.page, pageSize: query.pageSize };
  }

  async getBranch(id: string, actor: AuthUser): Promise<BranchView> {
    return toBranchView(await this.visibleBranch(id, actor));
  }

  async updateBranch(id: string, dto: UpdateBranchDto, actor: AuthUser): Promise<BranchView> {
    const branch = await this.visibleBranch(id, actor);
    const previousUnitId = branch.unitId;
    if (dto.unitId && dto.unitId !== branch.unitId) {
      branch.unit = await this.visibleUnit(dto.unitId, actor, 'unitId');
      branch.unitId = branch.unit.id;
    }
    await this.assertBranchUnique(branch.unitId, dto.name, dto.code, branch.id);
    if (dto.name !== undefined) branch.name = dto.name;
    if (dto.code !== undefined) branch.code = dto.code;
    if (dto.kind !== undefined) branch.kind = dto.kind;
    const moved = dto.unitId !== undefined && dto.unitId !== previousUnitId;
    const saved = await this.branches.manager.transaction(async (manager) => {
      const row = await manager.save(Branch, branch);
      // The branch's people move with it (their unit mirrors their branch's): the users module follows.
      if (moved) for (const listener of this.branchMovedListeners) await listener(manager, branch.id, branch.unitId);
      return row;
    });
    return toBranchView({ ...saved, unit: branch.unit });
  }

  /** Called inside the transaction that moves a branch to another unit. */
  onBranchMoved(listener: BranchMovedListener): void {
    this.branchMovedListeners.push(listener);
  }

  /** The branch if the caller may see it; 404 otherwise (another unit's branch looks like no branch). */
  async visibleBranch(id: string, actor: AuthUser, field?: string): Promise<Branch> {
    const branch = await this.branches.findOne({ where: { id }, relations: { unit: true } });
    const scope = adminUnitScope(actor);
    if (!branch || (scope !== null && branch.unitId !== scope)) {
      throw notFound('党支部不存在', 'BRANCH_NOT_FOUND', id, field);
    }
    return branch;
  }

  async visibleUnit(id: string, actor: AuthUser, field?: string): Promise<Unit> {
    const scope = adminUnitScope(actor);
    const unit = scope !== null && scope !== id ? null : await this.units.findOne({ where: { id } });
    if (!unit) throw notFound('二级党组织不存在', 'UNIT_NOT_FOUND', id, field);
    return unit;
  }

  private async assertUnitUnique(name?: string, code?: string, exceptId?: string): Promise<void> {
    for (const [field, value] of [['name', name], ['code', code]] as const) {
      if (value === undefined) continue;
      const existing = await this.units.findOne({ where: { [field]: value }, select: { id: true } });
      if (existing && existing.id !== exceptId) {
        throw new ConflictException({ message: `已有${field === 'name' ? '名称' : '编码'}为「${value}」的二级党组织`, code: 'UNIT_EXISTS', field });
      }
    }
  }

  private async assertBranchUnique(unitId: string, name?: string, code?: string, exceptId?: string): Promise<void> {
    if (name !== undefined) {
      const existing = await this.branches.findOne({ where: { unitId, name }, select: { id: true } });
      if (existing && existing.id !== exceptId) {
        throw new ConflictException({ message: `该二级党组织下已有名为「${name}」的党支部`, code: 'BRANCH_EXISTS', field: 'name' });
      }
    }
    if (code !== undefined) {
      const existing = await this.branches.findOne({ where: { code }, select: { id: true } });
      if (existing && existing.id !== exceptId) {
        throw new ConflictException({ message: `已有编码为「${code}」的党支部`, code: 'BRANCH_EXISTS', field: 'code' });
      }
    }
  }
}

export function like(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function toUnitView(unit: Unit): UnitView {
  return { id: unit.id, name: unit.name, code: unit.code, createdAt: unit.createdAt, updatedAt: unit.updatedAt };
}

function toBranchView(branch: Branch): BranchView {
  return {
    id: branch.id,
    unitId: branch.unitId,
    unit: branch.unit ? { id: branch.unit.id, name: branch.unit.name } : null,
    name: branch.name,
    code: branch.code,
    kind: branch.kind,
    createdAt: branch.createdAt,
    updatedAt: branch.updatedAt,
  };
}

/** 404 for a unit or branch; when the request named it in a field, the problem says which field. */
function notFound(message: string, code: string, id: string, field?: string): NotFoundException {
  if (!field) return new NotFoundException({ message, code });
  return unknownTargetsException([{ field, rule: 'unknownId', params: { ids: [id] }, message }], code);
}
