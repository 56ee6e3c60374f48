import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { adminUnitScope, assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { unknownTargetsException } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import { Branch } from './branch.entity';
import { CreateBranchDto, CreateUnitDto, ListBranchesQuery, ListUnitsQuery, UpdateBranchDto, UpdateUnitDto } from './dto/org.dto';
import { OrgRepository } from './org.repository';
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

/** Units (二级党组织) and branches (党支部). A unit admin sees and changes only their own unit. */
@Injectable()
export class OrgService {
  constructor(
    private readonly org: OrgRepository,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async createUnit(dto: CreateUnitDto, actor: AuthUser): Promise<UnitView> {
    assertDepartment(actor, '新建二级党组织');
    await this.assertUnitUnique(dto.name, dto.code);
    return toUnitView(await this.org.insertUnit({ name: dto.name, code: dto.code }));
  }

  async listUnits(query: ListUnitsQuery, actor: AuthUser): Promise<Page<UnitView>> {
    const [rows, total] = await this.org.pageUnits({ scopeUnitId: adminUnitScope(actor), q: query.q, skip: query.skip, take: query.pageSize });
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
    return toUnitView(await this.org.saveUnit(unit));
  }

  async createBranch(dto: CreateBranchDto, actor: AuthUser): Promise<BranchView> {
    const unit = await this.visibleUnit(dto.unitId, actor, 'unitId');
    await this.assertBranchUnique(unit.id, dto.name, dto.code);
    const saved = await this.org.insertBranch({ unitId: unit.id, name: dto.name, code: dto.code, kind: dto.kind ?? 'staff' });
    return toBranchView({ ...saved, unit });
  }

  async listBranches(query: ListBranchesQuery, actor: AuthUser): Promise<Page<BranchView>> {
    const [rows, total] = await this.org.pageBranches({
      scopeUnitId: adminUnitScope(actor),
      unitId: query.unitId,
      kind: query.kind,
      q: query.q,
      skip: query.skip,
      take: query.pageSize,
    });
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
    const saved = await this.transactions.run(async (manager) => {
      const row = await this.org.saveBranch(branch, manager);
      // The branch's people move with it (their unit mirrors their branch's): the users module follows.
      if (moved) await this.events.emitInTransaction(manager, 'branch.moved', { branchId: branch.id, unitId: branch.unitId });
      return row;
    });
    return toBranchView({ ...saved, unit: branch.unit });
  }

  /** The branch if the caller may see it; 404 otherwise (another unit's branch looks like no branch). */
  async visibleBranch(id: string, actor: AuthUser, field?: string): Promise<Branch> {
    const branch = await this.org.findBranch(id);
    const scope = adminUnitScope(actor);
    if (!branch || (scope !== null && branch.unitId !== scope)) {
      throw notFound('党支部不存在', 'BRANCH_NOT_FOUND', id, field);
    }
    return branch;
  }

  async visibleUnit(id: string, actor: AuthUser, field?: string): Promise<Unit> {
    const scope = adminUnitScope(actor);
    const unit = scope !== null && scope !== id ? null : await this.org.findUnit(id);
    if (!unit) throw notFound('二级党组织不存在', 'UNIT_NOT_FOUND', id, field);
    return unit;
  }

  private async assertUnitUnique(name?: string, code?: string, exceptId?: string): Promise<void> {
    for (const [field, value] of [['name', name], ['code', code]] as const) {
      if (value === undefined) continue;
      const existing = await this.org.findUnitIdBy(field, value);
      if (existing !== null && existing !== exceptId) {
        throw new ConflictException({ message: `已有${field === 'name' ? '名称' : '编码'}为「${value}」的二级党组织`, code: 'UNIT_EXISTS', field });
      }
    }
  }

  private async assertBranchUnique(unitId: string, name?: string, code?: string, exceptId?: string): Promise<void> {
    if (name !== undefined) {
      const existing = await this.org.findBranchIdByName(unitId, name);
      if (existing !== null && existing !== exceptId) {
        throw new ConflictException({ message: `该二级党组织下已有名为「${name}」的党支部`, code: 'BRANCH_EXISTS', field: 'name' });
      }
    }
    if (code !== undefined) {
      const existing = await this.org.findBranchIdByCode(code);
      if (existing !== null && existing !== exceptId) {
        throw new ConflictException({ message: `已有编码为「${code}」的党支部`, code: 'BRANCH_EXISTS', field: 'code' });
      }
    }
  }
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
