import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import type { TableImportSummary } from '../common/table-file';
import { inputException, problem } from '../common/validation-errors';
import { Transactions } from '../database/transactions';
import { beijingDay } from '../norms/beijing-calendar';
import { BranchScope } from '../org/branch-scope';
import type { BranchMember, MemberCategory } from './branch-member.entity';
import { BranchMembersRepository, type MemberChange, type NewMember } from './branch-members.repository';
import type { CreateMemberDto, UpdateMemberDto } from './dto/branch-members.dto';
import { calendarDate, memberCategory, readMemberFile } from './member-file';

export interface MemberView {
  id: string;
  name: string;
  category: MemberCategory;
  joinedAt: string | null;
  leftAt: string | null;
}

export interface MemberImportResult extends TableImportSummary {
  errors: { row: number; message: string }[];
}

/**
 * A branch's member list (name, 正式/预备, joined date), kept by its secretary; records take attendance from it.
 * Only the branch's secretary, its unit's admins and the department see it (BranchScope). A member who leaves
 * keeps their row with the day they left, so records that name them still read as they were held.
 */
@Injectable()
export class BranchMembersService {
  constructor(
    private readonly members: BranchMembersRepository,
    private readonly scope: BranchScope,
    private readonly transactions: Transactions,
  ) {}

  /** The members among `ids` of this branch, keyed by id; ids of other branches' members are simply absent. */
  async membersOf(branchId: string, ids: string[], manager?: EntityManager): Promise<Map<string, BranchMember>> {
    const found = await this.members.findInBranch(branchId, [...new Set(ids)], manager);
    return new Map(found.map((m) => [m.id, m]));
  }

  /** The branch's current members (the printed handbook's cover counts them). */
  currentMembers(branchId: string): Promise<BranchMember[]> {
    return this.members.listCurrent(branchId);
  }

  async list(branchId: string, actor: AuthUser, includeLeft: boolean) {
    await this.scope.branch(branchId, actor, 'read');
    const all = includeLeft ? await this.members.listAll(branchId) : await this.members.listCurrent(branchId);
    const current = all.filter((m) => !m.leftAt);
    return {
      items: all.map(memberView),
      total: current.length,
      full: current.filter((m) => m.category === 'full').length,
      probationary: current.filter((m) => m.category === 'probationary').length,
    };
  }

  async create(branchId: string, dto: CreateMemberDto, actor: AuthUser): Promise<MemberView> {
    await this.scope.branch(branchId, actor, 'keep');
    const joinedAt = checkedDate(dto.joinedAt);
    const id = await this.members.insertOne({ branchId, name: dto.name, category: dto.category ?? 'full', joinedAt });
    return memberView((await this.members.findOne(branchId, id))!);
  }

  async update(branchId: string, memberId: string, dto: UpdateMemberDto, actor: AuthUser): Promise<MemberView> {
    await this.scope.branch(branchId, actor, 'keep');
    const member = await this.memberOf(branchId, memberId);
    if (member.leftAt) throw new ConflictException({ message: '该党员已离开本支部，不能再修改', code: 'MEMBER_LEFT' });
    const change: MemberChange = {};
    if (dto.name !== undefined) change.name = dto.name;
    if (dto.category !== undefined) change.category = dto.category;
    if (dto.joinedAt !== undefined) change.joinedAt = checkedDate(dto.joinedAt);
    await this.members.update(memberId, change);
    return memberView((await this.members.findOne(branchId, memberId))!);
  }

  /** A member leaves the branch (转出, 去世…): the row stays, with today's date (Beijing) as the day they left. */
  async leave(branchId: string, memberId: string, actor: AuthUser): Promise<MemberView> {
    await this.scope.branch(branchId, actor, 'keep');
    const member = await this.memberOf(branchId, memberId);
    if (!member.leftAt) await this.members.update(memberId, { leftAt: beijingDay().date });
    return memberView((await this.members.findOne(branchId, memberId))!);
  }

  /**
   * A member list from CSV/XLSX, like the roster: 姓名 (required), 类别 (正式/预备), 入党时间. A name already
   * on the list updates that member; a new name adds one. Any bad row and nothing is written.
   */
  async import(branchId: string, buffer: Buffer, actor: AuthUser, dryRun: boolean): Promise<MemberImportResult> {
    await this.scope.branch(branchId, actor, 'keep');
    const table = await readMemberFile(buffer);
    const errors: MemberImportResult['errors'] = [];
    const valid: { row: number; name: string; category: MemberCategory; joinedAt: string | null | undefined }[] = [];
    const namesInFile = new Map<string, number>();
    for (const { row, values } of table.rows) {
      const name = values.name?.trim();
      if (!name) {
        errors.push({ row, message: `第 ${row} 行：缺少姓名` });
        continue;
      }
      const before = errors.length;
      if (name.length > 50) errors.push({ row, message: `第 ${row} 行：姓名不能超过 50 个字` });
      if (namesInFile.has(name)) errors.push({ row, message: `第 ${row} 行：姓名「${name}」与第 ${namesInFile.get(name)} 行重复` });
      namesInFile.set(name, namesInFile.get(name) ?? row);
      const category = memberCategory(values.category);
      if (!category) errors.push({ row, message: `第 ${row} 行：类别「${values.category}」无法识别，请填写“正式”或“预备”` });
      const joinedAt = values.joinedAt === undefined ? undefined : calendarDate(values.joinedAt);
      if (joinedAt === null) errors.push({ row, message: `第 ${row} 行：入党时间「${values.joinedAt}」不是有效日期，例如 2021-07-01` });
      // Only good rows are counted in what would change.
      if (errors.length === before && category) valid.push({ row, name, category, joinedAt });
    }
    return this.transactions.run(async (manager) => {
      const current = await this.members.listCurrent(branchId, manager);
      const byName = new Map<string, BranchMember[]>();
      for (const m of current) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
      const creates: NewMember[] = [];
      const updates: { id: string; change: MemberChange }[] = [];
      let unchanged = 0;
      for (const entry of valid) {
        const existing = byName.get(entry.name) ?? [];
        if (existing.length > 1) {
          errors.push({ row: entry.row, message: `第 ${entry.row} 行：名单中有 ${existing.length} 位「${entry.name}」，请在页面上逐一修改` });
          continue;
        }
        if (!existing.length) {
          creates.push({ branchId, name: entry.name, category: entry.category, joinedAt: entry.joinedAt ?? null });
          continue;
        }
        const change: MemberChange = {};
        if (existing[0].category !== entry.category) change.category = entry.category;
        if (entry.joinedAt !== undefined && dateText(existing[0].joinedAt) !== entry.joinedAt) change.joinedAt = entry.joinedAt;
        if (Object.keys(change).length) updates.push({ id: existing[0].id, change });
        else unchanged++;
      }
      errors.sort((a, b) => a.row - b.row);
      const apply = !dryRun && errors.length === 0;
      if (apply) {
        await this.members.insert(manager, creates);
        for (const update of updates) await this.members.update(update.id, update.change, manager);
      }
      return {
        dryRun,
        applied: apply,
        format: table.format,
        encoding: table.encoding ?? null,
        rows: table.rows.length,
        created: creates.length,
        updated: updates.length,
        unchanged,
        errors,
      };
    });
  }

  private async memberOf(branchId: string, memberId: string): Promise<BranchMember> {
    const member = await this.members.findOne(branchId, memberId);
    if (!member) throw new NotFoundException({ message: '该党员不在本支部名单中', code: 'MEMBER_NOT_FOUND' });
    return member;
  }
}

/** A joined date from a form: a real calendar day, or null to clear it. */
function checkedDate(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const date = calendarDate(value);
  if (!date) throw inputException([problem('joinedAt', 'date')]);
  return date;
}

/** DATE columns come back as strings or Date objects depending on the driver's settings. */
function dateText(value: string | Date | null): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? beijingDay(value).date : String(value).slice(0, 10);
}

function memberView(m: BranchMember): MemberView {
  return { id: m.id, name: m.name, category: m.category, joinedAt: dateText(m.joinedAt), leftAt: dateText(m.leftAt) };
}
