import { Inject, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { adminUnitScope, AuthUser } from '../common/auth-user';
import type { Role } from '../common/roles';
import type { TableImportSummary } from '../common/table-file';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import type { BranchKind } from '../org/branch.entity';
import { OrgRepository } from '../org/org.repository';
import type { Unit } from '../org/unit.entity';
import { PHONE, USERNAME } from './dto/user.dto';
import { generateInitialPassword, hashInitialPassword } from './passwords';
import { readRosterFile, RosterColumn, RosterRow } from './roster-file';
import { TokenUsersService } from './token-users.service';
import type { User } from './user.entity';
import { NewUser, RosterPerson, UsersRepository } from './users.repository';

export interface RosterError {
  row: number;
  message: string;
}

export interface RosterChange {
  row: number;
  username: string;
  name: string;
  action: 'create' | 'update';
  /** For an update, the fields that change. */
  fields: string[];
}

export interface RosterImportResult extends TableImportSummary {
  unitsCreated: string[];
  branchesCreated: { unit: string; name: string }[];
  changes: RosterChange[];
  errors: RosterError[];
  /** One-time initial passwords of the accounts just created, shown once and never stored in clear. */
  credentials: { username: string; name: string; initialPassword: string }[];
  initialPasswordExpiresAt: Date | null;
}

interface ValidRow {
  row: number;
  username: string;
  name: string;
  role: Role | null;
  email: string | null;
  phone: string | null;
  unitName: string | null;
  branchName: string | null;
  branchKind: BranchKind | null;
}

type Existing = RosterPerson;

interface Plan {
  creates: { row: ValidRow; unitKey: string | null; branchKey: string | null }[];
  updates: { row: ValidRow; user: Existing; unitKey: string | null; branchKey: string | null; fields: string[] }[];
  newUnits: Map<string, string>;
  newBranches: Map<string, { unitName: string; name: string; kind: BranchKind }>;
}

const ROLE_WORDS: Record<string, Role | 'admin'> = {
  secretary: 'secretary', 书记: 'secretary', 支部书记: 'secretary', 党支部书记: 'secretary', 学员: 'secretary',
  instructor: 'instructor', 教师: 'instructor', 讲师: 'instructor', 授课教师: 'instructor', 教员: 'instructor',
  admin: 'admin', 管理员: 'admin',
};
const KIND_WORDS: Record<string, BranchKind> = {
  staff: 'staff', 教工: 'staff', 教职工: 'staff', 教工支部: 'staff', 在职: 'staff',
  student: 'student', 学生: 'student', 学生支部: 'student',
};

/**
 * Roster import (名册导入): people keyed by 工号, their units and branches created on the way. A file is
 * applied all or nothing in one transaction; re-importing it changes nothing. Empty cells leave stored
 * values as they are, so a partial roster never erases e-mail addresses or phone numbers.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly users: UsersRepository,
    private readonly org: OrgRepository,
    private readonly tokenUsers: TokenUsersService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(file: Buffer, actor: AuthUser, dryRun: boolean): Promise<RosterImportResult> {
    const table = await readRosterFile(file);
    const errors: RosterError[] = [];
    const rows = this.validateRows(table.rows, errors);
    const scopeUnit = await this.actorUnit(actor);
    const plan = await this.plan(rows, scopeUnit, errors);
    errors.sort((a, b) => a.row - b.row);

    const result: RosterImportResult = {
      dryRun,
      applied: false,
      format: table.format,
      encoding: table.encoding ?? null,
      rows: table.rows.length,
      created: plan.creates.length,
      updated: plan.updates.filter((u) => u.fields.length > 0).length,
      unchanged: plan.updates.filter((u) => u.fields.length === 0).length,
      unitsCreated: [...plan.newUnits.values()],
      branchesCreated: [...plan.newBranches.values()].map((b) => ({ unit: b.unitName, name: b.name })),
      changes: [
        ...plan.creates.map(({ row }) => ({ row: row.row, username: row.username, name: row.name, action: 'create' as const, fields: [] })),
        ...plan.updates
          .filter((u) => u.fields.length > 0)
          .map(({ row, fields }) => ({ row: row.row, username: row.username, name: row.name, action: 'update' as const, fields })),
      ].sort((a, b) => a.row - b.row),
      errors,
      credentials: [],
      initialPasswordExpiresAt: null,
    };
    if (dryRun) return result;
    if (errors.length) {
      // API.md's contract: 200 with every bad row, and nothing written (applied: false).
      return { ...result, created: 0, updated: 0, unchanged: 0, unitsCreated: [], branchesCreated: [], changes: [] };
    }
    const expiresAt = new Date(Date.now() + this.config.auth.initialPasswordTtlDays * 24 * 3600 * 1000);
    result.credentials = await this.transactions.run((manager) => this.apply(manager, plan, expiresAt));
    await this.tokenUsers.forget(plan.updates.filter((u) => u.fields.length > 0).map((u) => u.user.id));
    result.initialPasswordExpiresAt = result.credentials.length ? expiresAt : null;
    result.applied = true;
    return result;
  }

  /** Checks each row on its own: required cells, formats, known roles; the same 工号 twice is an error. */
  private validateRows(rows: RosterRow[], errors: RosterError[]): ValidRow[] {
    const valid: ValidRow[] = [];
    const firstRowOf = new Map<string, number>();
    for (const { row, values } of rows) {
      const problems: string[] = [];
      const cell = (column: RosterColumn) => values[column]?.trim() || null;
      const username = cell('username');
      const name = cell('name');
      if (!username) problems.push('缺少工号');
      else if (!USERNAME.test(username)) problems.push(`工号「${username}」只能包含字母、数字和 _ . @ -，最多 64 个字符`);
      if (!name) problems.push('缺少姓名');
      else if (name.length > 100) problems.push('姓名不能超过 100 个字');
      const email = cell('email');
      if (email && (!isEmail(email) || email.length > 254)) problems.push(`邮箱「${email}」格式不正确`);
      const phone = cell('phone');
      if (phone && !PHONE.test(phone)) problems.push(`手机「${phone}」格式不正确，只能包含数字、空格和 + - ( )，5 到 32 个字符`);
      const roleWord = cell('role');
      const role = roleWord && Object.hasOwn(ROLE_WORDS, roleWord.toLowerCase()) ? ROLE_WORDS[roleWord.toLowerCase()] : null;
      if (roleWord && !role) problems.push(`角色「${roleWord}」无法识别，请填写“书记”或“教师”`);
      if (role === 'admin') problems.push('管理员账号不能通过名册导入，请单独创建');
      const kindWord = cell('branchKind');
      const branchKind = kindWord && Object.hasOwn(KIND_WORDS, kindWord.toLowerCase()) ? KIND_WORDS[kindWord.toLowerCase()] : null;
      if (kindWord && !branchKind) problems.push(`支部类型「${kindWord}」无法识别，请填写“教工”或“学生”`);
      const unitName = cell('unit');
      const branchName = cell('branch');
      if (unitName && unitName.length > 100) problems.push('单位名称不能超过 100 个字');
      if (branchName && branchName.length > 100) problems.push('支部名称不能超过 100 个字');
      if (username) {
        const key = username.toLowerCase();
        const first = firstRowOf.get(key);
        if (first !== undefined) problems.push(`工号「${username}」与第 ${first} 行重复`);
        else firstRowOf.set(key, row);
      }
      if (problems.length) {
        errors.push({ row, message: problems.join('；') });
        continue;
      }
      valid.push({
        row,
        username: username!,
        name: name!,
        role: role === 'admin' ? null : (role ?? null),
        email,
        phone,
        unitName,
        branchName,
        branchKind,
      });
    }
    return valid;
  }

  private async actorUnit(actor: AuthUser): Promise<Unit | null> {
    const scope = adminUnitScope(actor);
    return scope === null ? null : this.org.findUnit(scope);
  }

  /** Decides what each valid row does, reading everything it needs in a handful of set-based queries. */
  private async plan(rows: ValidRow[], scopeUnit: Unit | null, errors: RosterError[]): Promise<Plan> {
    const plan: Plan = { creates: [], updates: [], newUnits: new Map(), newBranches: new Map() };
    // A unit admin imports into their own unit: an empty unit cell means it, another unit is an error.
    const placed = rows.filter((row) => {
      if (!scopeUnit) return true;
      if (row.unitName && row.unitName !== scopeUnit.name) {
        errors.push({ row: row.row, message: `单位「${row.unitName}」不是您管理的单位，只能导入到「${scopeUnit.name}」` });
        return false;
      }
      row.unitName = scopeUnit.name;
      return true;
    });
    const valid = placed.filter((row) => {
      if (row.branchName && !row.unitName) {
        errors.push({ row: row.row, message: `支部「${row.branchName}」需要填写所在单位` });
        return false;
      }
      return true;
    });

    const unitNames = [...new Set(valid.flatMap((r) => (r.unitName ? [r.unitName] : [])))];
    const units = await this.org.findUnitsByNames(unitNames);
    const unitByName = new Map(units.map((u) => [u.name, u]));
    const branches = await this.org.findBranchesInUnits(units.map((u) => u.id));
    const branchByKey = new Map(branches.map((b) => [branchKey(units.find((u) => u.id === b.unitId)!.name, b.name), b]));

    const existing = new Map<string, Existing>();
    for (const user of await this.users.findRosterPeople(valid.map((r) => r.username))) existing.set(user.username.toLowerCase(), user);

    for (const row of valid) {
      const user = existing.get(row.username.toLowerCase());
      if (user?.role === 'admin') {
        errors.push({ row: row.row, message: `工号「${row.username}」是管理员账号，不能通过名册修改` });
        continue;
      }
      if (user && scopeUnit && user.unitId !== scopeUnit.id) {
        errors.push({ row: row.row, message: `工号「${row.username}」已被其他单位的账号使用` });
        continue;
      }
      const unitKey = row.unitName;
      const key = row.branchName && row.unitName ? branchKey(row.unitName, row.branchName) : null;
      const secretary = (row.role ?? user?.role ?? 'secretary') === 'secretary';
      if (secretary && !key && !user?.branchId) {
        errors.push({ row: row.row, message: '缺少所在支部' });
        continue;
      }
      if (user?.branchId && unitKey && !key && unitByName.get(unitKey)?.id !== user.unitId) {
        errors.push({ row: row.row, message: '更换单位时须同时填写新单位的支部' });
        continue;
      }
      if (unitKey && !unitByName.has(unitKey)) plan.newUnits.set(unitKey, unitKey);
      if (key && !branchByKey.has(key) && !plan.newBranches.has(key)) {
        plan.newBranches.set(key, { unitName: row.unitName!, name: row.branchName!, kind: row.branchKind ?? guessKind(row.branchName!) });
      }
      if (!user) {
        plan.creates.push({ row, unitKey, branchKey: key });
        continue;
      }
      const fields: string[] = [];
      if (row.name !== user.name) fields.push('name');
      if (row.role && row.role !== user.role) fields.push('role');
      if (row.email && row.email !== user.email) fields.push('email');
      if (row.phone && row.phone !== user.phone) fields.push('phone');
      const unit = unitKey ? unitByName.get(unitKey) : undefined;
      const branch = key ? branchByKey.get(key) : undefined;
      if (key && branch?.id !== user.branchId) fields.push('branch');
      if (unitKey && unit?.id !== user.unitId) fields.push('unit');
      plan.updates.push({ row, user, unitKey, branchKey: key, fields });
    }
    return plan;
  }

  private async apply(
    manager: EntityManager,
    plan: Plan,
    expiresAt: Date,
  ): Promise<RosterImportResult['credentials']> {
    const unitIds = await this.ensureUnits(manager, [...new Set([...plan.creates, ...plan.updates].flatMap((c) => (c.unitKey ? [c.unitKey] : [])))], plan);
    const branchIds = await this.ensureBranches(manager, plan, unitIds);

    const credentials: RosterImportResult['credentials'] = [];
    const values = plan.creates.map(({ row, unitKey, branchKey: key }): NewUser => {
      const initialPassword = generateInitialPassword();
      credentials.push({ username: row.username, name: row.name, initialPassword });
      return {
        username: row.username,
        name: row.name,
        role: row.role ?? 'secretary',
        email: row.email,
        phone: row.phone,
        unitId: unitKey ? unitIds.get(unitKey)! : null,
        branchId: key ? branchIds.get(key)! : null,
        passwordHash: hashInitialPassword(initialPassword),
        mustChangePassword: true,
        initialPasswordExpiresAt: expiresAt,
      };
    });
    const createdIds = await this.users.insertMany(values, manager);

    const moved: string[] = [];
    for (const { row, user, unitKey, branchKey: key, fields } of plan.updates) {
      if (fields.length === 0) continue;
      const changes: Partial<User> = {};
      if (fields.includes('name')) changes.name = row.name;
      if (fields.includes('role')) changes.role = row.role!;
      if (fields.includes('email')) changes.email = row.email;
      if (fields.includes('phone')) changes.phone = row.phone;
      if (fields.includes('unit')) changes.unitId = unitIds.get(unitKey!)!;
      if (fields.includes('branch')) {
        changes.branchId = branchIds.get(key!)!;
        changes.unitId = unitIds.get(unitKey!)!;
      }
      if (fields.includes('branch') || fields.includes('unit')) moved.push(user.id);
      await this.users.update(user.id, changes, manager);
      // A role change ends the sessions the person has, as it does through PATCH /api/users/:id.
      if (changes.role) await this.users.incrementTokenVersion(user.id, manager);
    }

    const placed = [...createdIds, ...moved];
    if (placed.length) await this.events.emitInTransaction(manager, 'people.placed', { userIds: placed });
    return credentials;
  }

  private async ensureUnits(manager: EntityManager, names: string[], plan: Plan): Promise<Map<string, string>> {
    const fresh = names.filter((name) => plan.newUnits.has(name));
    await this.org.insertUnits(fresh.map((name) => ({ name, code: `U-${digest(name, 10)}` })), manager);
    const rows = await this.org.findUnitsByNames(names, manager);
    return new Map(rows.map((u) => [u.name, u.id]));
  }

  private async ensureBranches(manager: EntityManager, plan: Plan, unitIds: Map<string, string>): Promise<Map<string, string>> {
    await this.org.insertBranches(
      [...plan.newBranches.values()].map((b) => ({
        unitId: unitIds.get(b.unitName)!,
        name: b.name,
        kind: b.kind,
        code: `B-${digest(`${b.unitName}\u0000${b.name}`, 12)}`,
      })),
      manager,
    );
    const rows = await this.org.findBranchesInUnits([...unitIds.values()], manager);
    const unitNameById = new Map([...unitIds].map(([name, id]) => [id, name]));
    return new Map(rows.map((b) => [branchKey(unitNameById.get(b.unitId)!, b.name), b.id]));
  }
}

function branchKey(unitName: string, branchName: string): string {
  return `${unitName}\u0000${branchName}`;
}

/** Student branches are usually named so (学生/研究生/本科生…); everything else is a staff branch. */
function guessKind(branchName: string): BranchKind {
  return /学生|研究生|本科|博士生|硕士生/.test(branchName) ? 'student' : 'staff';
}

/** Codes of units and branches the import creates: stable, so two imports of one file agree. */
function digest(text: string, length: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length).toUpperCase();
}
