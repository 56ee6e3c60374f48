import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { adminUnitScope, assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import type { Role } from '../common/roles';
import { inputException, problem } from '../common/validation-errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Transactions } from '../database/transactions';
import { EventBus } from '../events/event-bus';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { OrgRepository } from '../org/org.repository';
import { OrgService } from '../org/org.service';
import { CreateUserDto, ListUsersQuery, UpdateMeDto, UpdateUserDto } from './dto/user.dto';
import { generateInitialPassword, hashInitialPassword, hashPassword, verifyPassword } from './passwords';
import { TokenUsersService } from './token-users.service';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export interface UserView {
  id: string;
  username: string;
  name: string;
  role: Role;
  email: string | null;
  phone: string | null;
  active: boolean;
  mustChangePassword: boolean;
  branchId: string | null;
  unitId: string | null;
  branch: { id: string; name: string } | null;
  unit: { id: string; name: string } | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** People: accounts, their place in the organization, and their passwords. Owner of the `users` table. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly org: OrgService,
    private readonly places: OrgRepository,
    private readonly tokenUsers: TokenUsersService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A branch moved to another unit takes its people along; courses open to the new unit enrol them. */
  @OnEventInTransaction('branch.moved')
  async onBranchMoved({ branchId, unitId }: InTransactionEvents['branch.moved'], manager: EntityManager): Promise<void> {
    const ids = await this.users.moveBranchPeople(branchId, unitId, manager);
    await this.placed(manager, ids);
    await this.tokenUsers.forget(ids);
  }

  findForLogin(username: string): Promise<User | null> {
    return this.users.findForLogin(username.trim());
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.recordLogin(id);
  }

  /**
   * Without a password the new account gets a one-time initial password, answered once (`initialPassword`)
   * for the admin to hand out; the person replaces it at first login.
   */
  async create(dto: CreateUserDto, actor: AuthUser): Promise<UserView & { initialPassword?: string; initialPasswordExpiresAt?: Date }> {
    // Another unit's branch or unit is a 404 first, as for any object the caller cannot see; then the role.
    const placement = await this.placement(dto.role, dto.branchId ?? null, dto.unitId ?? null, actor);
    assertMayGrant(actor, dto.role);
    if (await this.users.existsUsername(dto.username)) {
      throw new ConflictException({ message: `工号「${dto.username}」已被使用`, code: 'USERNAME_TAKEN' });
    }
    const initialPassword = dto.password === undefined ? generateInitialPassword() : null;
    const initialPasswordExpiresAt = initialPassword ? this.initialPasswordExpiry() : null;
    const passwordHash = initialPassword ? hashInitialPassword(initialPassword) : await hashPassword(dto.password!);
    const id = await this.transactions.run(async (manager) => {
      const created = await this.users.insert(
        {
          username: dto.username,
          name: dto.name,
          role: dto.role,
          email: dto.email ?? null,
          phone: dto.phone ?? null,
          ...placement,
          passwordHash,
          mustChangePassword: initialPassword !== null || (dto.mustChangePassword ?? false),
          initialPasswordExpiresAt,
        },
        manager,
      );
      await this.placed(manager, [created]);
      return created;
    });
    const view = await this.get(id, actor);
    return initialPassword ? { ...view, initialPassword, initialPasswordExpiresAt: initialPasswordExpiresAt! } : view;
  }

  async list(query: ListUsersQuery, actor: AuthUser): Promise<Page<UserView>> {
    const [rows, total] = await this.users.pageOf({
      scopeUnitId: adminUnitScope(actor),
      role: query.role,
      branchId: query.branchId,
      unitId: query.unitId,
      active: query.active === undefined ? undefined : query.active === 'true',
      q: query.q?.trim(),
      skip: query.skip,
      take: query.pageSize,
    });
    return { items: await this.views(rows), total, page: query.page, pageSize: query.pageSize };
  }

  /** A user the caller may see: a unit admin sees only their unit's people; anyone else's id is a 404. */
  async get(id: string, actor: AuthUser): Promise<UserView> {
    const user = await this.users.findInScope(id, adminUnitScope(actor));
    if (!user) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return (await this.views([user]))[0];
  }

  async me(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return (await this.views([user]))[0];
  }

  async update(id: string, dto: UpdateUserDto, actor: AuthUser): Promise<UserView> {
    const current = await this.get(id, actor);
    if (id !== actor.id) assertMayManage(actor, current);
    if (id === actor.id && (dto.active === false || (dto.role && dto.role !== current.role) || dto.unitId !== undefined)) {
      throw new BadRequestException({ message: '不能停用自己，也不能修改自己的角色或单位', code: 'SELF_CHANGE' });
    }
    const role = dto.role ?? current.role;
    const changes: Partial<User> = {};
    if (dto.branchId !== undefined || dto.unitId !== undefined || dto.role !== undefined) {
      const branchId = dto.branchId !== undefined ? dto.branchId : current.branchId;
      // Moving to another branch moves the unit with it; an explicit unitId only matters without a branch.
      const unitId = dto.unitId !== undefined ? dto.unitId : dto.branchId !== undefined ? null : current.unitId;
      Object.assign(changes, await this.placement(role, branchId, branchId ? null : unitId, actor));
    }
    if (dto.role !== undefined) assertMayGrant(actor, dto.role);
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.role !== undefined) changes.role = dto.role;
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (dto.active !== undefined) changes.active = dto.active;
    if (Object.keys(changes).length) {
      await this.transactions.run(async (manager) => {
        await this.users.update(id, changes, manager);
        // Deactivation or a role change ends every session the user has.
        if (dto.active === false || (dto.role !== undefined && dto.role !== current.role)) {
          await this.users.incrementTokenVersion(id, manager);
        }
        const moved =
          (changes.branchId !== undefined && changes.branchId !== current.branchId) ||
          (changes.unitId !== undefined && changes.unitId !== current.unitId);
        if (moved) await this.placed(manager, [id]);
      });
    }
    await this.tokenUsers.forget([id]);
    return this.get(id, actor);
  }

  async updateMe(id: string, dto: UpdateMeDto): Promise<UserView> {
    const changes: Partial<User> = {};
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (Object.keys(changes).length) await this.users.update(id, changes);
    return this.me(id);
  }

  async preferences(id: string): Promise<{ weeklyDigest: boolean }> {
    const weeklyDigest = await this.users.findWeeklyDigest(id);
    if (weeklyDigest === null) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return { weeklyDigest };
  }

  async updatePreferences(id: string, changes: { weeklyDigest: boolean }): Promise<{ weeklyDigest: boolean }> {
    await this.users.update(id, { weeklyDigest: changes.weeklyDigest });
    return this.preferences(id);
  }

  /** Changes the caller's password; every token issued before stops working. Returns the fresh user. */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<User> {
    const user = await this.users.findWithPasswordHash(id);
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new UnauthorizedException({ message: '当前密码不正确', code: 'BAD_CURRENT_PASSWORD' });
    }
    if (currentPassword === newPassword) {
      throw new BadRequestException({ message: '新密码不能与当前密码相同', code: 'PASSWORD_UNCHANGED' });
    }
    await this.users.update(id, {
      passwordHash: await hashPassword(newPassword),
      mustChangePassword: false,
      initialPasswordExpiresAt: null,
      tokenVersion: user.tokenVersion + 1,
    });
    await this.tokenUsers.forget([id]);
    return (await this.users.findById(id))!;
  }

  /** An admin hands out a new one-time initial password; the user must replace it at first login. */
  async resetPassword(id: string, actor: AuthUser): Promise<{ username: string; initialPassword: string; expiresAt: Date }> {
    const user = await this.get(id, actor);
    assertMayManage(actor, user);
    const initialPassword = generateInitialPassword();
    const expiresAt = this.initialPasswordExpiry();
    await this.transactions.run(async (manager) => {
      await this.users.update(id, { passwordHash: hashInitialPassword(initialPassword), mustChangePassword: true, initialPasswordExpiresAt: expiresAt }, manager);
      await this.users.incrementTokenVersion(id, manager);
    });
    await this.tokenUsers.forget([id]);
    return { username: user.username, initialPassword, expiresAt };
  }

  initialPasswordExpiry(): Date {
    return new Date(Date.now() + this.config.auth.initialPasswordTtlDays * 24 * 3600 * 1000);
  }

  /** Used by `admin:create`: creates a department admin or resets that user's password. */
  async upsertDepartmentAdmin(username: string, name: string, password: string): Promise<'created' | 'reset'> {
    const existing = await this.users.findIdAndTokenVersionByUsername(username);
    const passwordHash = await hashPassword(password);
    if (existing) {
      await this.users.update(existing.id, {
        passwordHash,
        role: 'admin',
        unitId: null,
        branchId: null,
        active: true,
        mustChangePassword: false,
        initialPasswordExpiresAt: null,
        tokenVersion: existing.tokenVersion + 1,
      });
      await this.tokenUsers.forget([existing.id]);
      return 'reset';
    }
    await this.users.insert({ username, name, role: 'admin', passwordHash });
    return 'created';
  }

  /**
   * Where a user sits: a branch implies its unit. A unit admin may place people only inside their unit and
   * cannot create department admins.
   */
  private async placement(
    role: Role,
    branchId: string | null,
    unitId: string | null,
    actor: AuthUser,
  ): Promise<{ branchId: string | null; unitId: string | null }> {
    const scope = adminUnitScope(actor);
    if (branchId) {
      const branch = await this.org.visibleBranch(branchId, actor, 'branchId');
      if (unitId && unitId !== branch.unitId) {
        throw inputException([problem('unitId', 'branchOutsideUnit')], 'UNIT_MISMATCH');
      }
      return { branchId: branch.id, unitId: branch.unitId };
    }
    if (unitId) {
      const unit = await this.org.visibleUnit(unitId, actor, 'unitId');
      return { branchId: null, unitId: unit.id };
    }
    if (scope !== null) return { branchId: null, unitId: scope };
    return { branchId: null, unitId: null };
  }

  /** People who were just created or moved: other modules react in the same transaction (open courses enrol them). */
  private async placed(manager: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length) await this.events.emitInTransaction(manager, 'people.placed', { userIds });
  }

  /** The users as the API shows them, their unit's and branch's names read in one query. */
  private async views(users: User[]): Promise<UserView[]> {
    const names = await this.places.namesByIds(
      users.flatMap((u) => (u.unitId ? [u.unitId] : [])),
      users.flatMap((u) => (u.branchId ? [u.branchId] : [])),
    );
    return users.map((user) => toUserView(user, names));
  }
}

/**
 * Admin accounts are the department's to create and manage: a unit admin creates and edits secretaries and
 * instructors of their unit (other units' people are 404 to them), never grants the admin role, and never
 * changes or resets another admin's account, not even one of their own unit.
 */
function assertMayGrant(actor: AuthUser, role: Role): void {
  if (role === 'admin') assertDepartment(actor, '创建管理员账号或授予管理员角色');
}

function assertMayManage(actor: AuthUser, target: Pick<UserView, 'role'>): void {
  if (target.role === 'admin') assertDepartment(actor, '管理管理员账号');
}

function toUserView(user: User, names: { units: Map<string, string>; branches: Map<string, string> }): UserView {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    role: user.role,
    email: user.email,
    phone: user.phone,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    branchId: user.branchId,
    unitId: user.unitId,
    branch: user.branchId ? { id: user.branchId, name: names.branches.get(user.branchId) ?? '' } : null,
    unit: user.unitId ? { id: user.unitId, name: names.units.get(user.unitId) ?? '' } : null,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

