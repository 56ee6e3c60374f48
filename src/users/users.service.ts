import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import {
  generateInitialPassword,
  hashInitialPassword,
  hashPassword,
  verifyPassword,
} from './passwords';
import { adminUnitScope, assertDepartment, AuthUser } from '../common/auth-user';
import { Page } from '../common/pagination';
import { inputException, problem } from '../common/validation-errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { like, OrgService } from '../org/org.service';
import { CreateUserDto, ListUsersQuery, UpdateMeDto, UpdateUserDto } from './dto/user.dto';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis';
import { PeopleEvents } from './people-events';
import { TokenUser, TokenUserCache } from './token-user-cache';
import type { Role } from '../common/roles';
import { User } from './user.entity';

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

/** A minute, plus up to half a minute at random (users.service), so a class that signed in together does not expire together. */
const TOKEN_USER_TTL_SECONDS = 60;
const tokenUserKey = (id: string) => `auth:user:${id}`;
/** Left in place of a changed user's Redis copy: no read that began before the change may cache it again. */
const CHANGED_MARK = 'changed';
const CHANGED_MARK_SECONDS = 10;


/** People: accounts, their place in the organization, and their passwords. Owner of the `users` table. */
@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly org: OrgService,
    private readonly events: PeopleEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tokenUsers: TokenUserCache,
  ) {}

  onModuleInit(): void {
    // A branch moved to another unit takes its people along; courses open to the new unit enrol them.
    this.org.onBranchMoved(async (manager, branchId, unitId) => {
      const people: { id: string }[] = await manager.query(`SELECT id FROM users WHERE branch_id = ?`, [branchId]);
      await manager.query(`UPDATE users SET unit_id = ? WHERE branch_id = ?`, [unitId, branchId]);
      const ids = people.map((p) => String(p.id));
      await this.events.placed(manager, ids);
      await this.forgetTokenUsers(ids);
    });
  }

  findForLogin(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username: username.trim() })
      .getOne();
  }

  /**
   * The user behind a bearer token, read on every request: from this process's memory, else from Redis
   * (shared by every API process, kept a minute), else from MySQL. Every write that could revoke or change
   * the user drops both copies everywhere (forgetTokenUsers), so revocation stays immediate.
   */
  async findActiveForToken(id: string): Promise<TokenUser | null> {
    const local = this.tokenUsers.get(id);
    if (local) return local;
    const stamp = this.tokenUsers.stamp();
    const cached = await this.redis.get(tokenUserKey(id));
    let user: TokenUser | null;
    if (cached && cached !== CHANGED_MARK) {
      user = JSON.parse(cached) as TokenUser;
    } else {
      user = await this.users.findOne({
        where: { id, active: true },
        select: { id: true, username: true, name: true, role: true, unitId: true, branchId: true, tokenVersion: true, mustChangePassword: true },
      });
      // NX: a change made while this read was under way has left its mark, and what was read may be stale.
      if (user) await this.redis.set(tokenUserKey(id), JSON.stringify(user), 'EX', TOKEN_USER_TTL_SECONDS + Math.floor(Math.random() * 30), 'NX');
    }
    if (user) this.tokenUsers.set(user, stamp);
    return user;
  }

  /**
   * Forgets cached token users after their rows changed (role, unit, password, deactivation…), in every
   * process. The Redis copy is replaced by a short-lived mark rather than deleted, so a read that fetched the
   * old row just before the change cannot put it back (it writes only where no key is).
   */
  async forgetTokenUsers(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const marks = this.redis.pipeline();
    for (const id of ids) marks.set(tokenUserKey(id), CHANGED_MARK, 'EX', CHANGED_MARK_SECONDS);
    await marks.exec();
    await this.tokenUsers.invalidate(this.redis, ids);
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: new Date() });
  }

  /**
   * Without a password the new account gets a one-time initial password, answered once (`initialPassword`)
   * for the admin to hand out; the person replaces it at first login.
   */
  async create(dto: CreateUserDto, actor: AuthUser): Promise<UserView & { initialPassword?: string; initialPasswordExpiresAt?: Date }> {
    // Another unit's branch or unit is a 404 first, as for any object the caller cannot see; then the role.
    const placement = await this.placement(dto.role, dto.branchId ?? null, dto.unitId ?? null, actor);
    assertMayGrant(actor, dto.role);
    if (await this.users.exists({ where: { username: dto.username } })) {
      throw new ConflictException({ message: `工号「${dto.username}」已被使用`, code: 'USERNAME_TAKEN' });
    }
    const initialPassword = dto.password === undefined ? generateInitialPassword() : null;
    const initialPasswordExpiresAt = initialPassword ? this.initialPasswordExpiry() : null;
    const user = await this.users.manager.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(User, {
          username: dto.username,
          name: dto.name,
          role: dto.role,
          email: dto.email ?? null,
          phone: dto.phone ?? null,
          ...placement,
          passwordHash: initialPassword ? hashInitialPassword(initialPassword) : await hashPassword(dto.password!),
          mustChangePassword: initialPassword !== null || (dto.mustChangePassword ?? false),
          initialPasswordExpiresAt,
        }),
      );
      await this.events.placed(manager, [saved.id]);
      return saved;
    });
    const view = await this.get(user.id, actor);
    return initialPassword ? { ...view, initialPassword, initialPasswordExpiresAt: initialPasswordExpiresAt! } : view;
  }

  async list(query: ListUsersQuery, actor: AuthUser): Promise<Page<UserView>> {
    const qb = this.viewQuery().orderBy('u.id', 'ASC').skip(query.skip).take(query.pageSize);
    const scope = adminUnitScope(actor);
    if (scope !== null) qb.andWhere('u.unit_id = :scope', { scope });
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.branchId) qb.andWhere('u.branch_id = :branchId', { branchId: query.branchId });
    if (query.unitId) qb.andWhere('u.unit_id = :unitId', { unitId: query.unitId });
    if (query.active) qb.andWhere('u.active = :active', { active: query.active === 'true' });
    if (query.q) {
      const q = like(query.q.trim());
      qb.andWhere(
        new Brackets((w) =>
          w.where('u.name LIKE :q', { q }).orWhere('u.username LIKE :q').orWhere('u.email LIKE :q').orWhere('u.phone LIKE :q'),
        ),
      );
    }
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toUserView), total, page: query.page, pageSize: query.pageSize };
  }

  /** A user the caller may see: a unit admin sees only their unit's people; anyone else's id is a 404. */
  async get(id: string, actor: AuthUser): Promise<UserView> {
    const qb = this.viewQuery().where('u.id = :id', { id });
    const scope = adminUnitScope(actor);
    if (scope !== null) qb.andWhere('u.unit_id = :scope', { scope });
    const user = await qb.getOne();
    if (!user) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return toUserView(user);
  }

  async me(id: string): Promise<UserView> {
    const user = await this.viewQuery().where('u.id = :id', { id }).getOne();
    if (!user) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return toUserView(user);
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
      await this.users.manager.transaction(async (manager) => {
        await manager.update(User, { id }, changes);
        // Deactivation or a role change ends every session the user has.
        if (dto.active === false || (dto.role !== undefined && dto.role !== current.role)) {
          await manager.increment(User, { id }, 'tokenVersion', 1);
        }
        const moved =
          (changes.branchId !== undefined && changes.branchId !== current.branchId) ||
          (changes.unitId !== undefined && changes.unitId !== current.unitId);
        if (moved) await this.events.placed(manager, [id]);
      });
    }
    await this.forgetTokenUsers([id]);
    return this.get(id, actor);
  }

  async updateMe(id: string, dto: UpdateMeDto): Promise<UserView> {
    const changes: Partial<User> = {};
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (Object.keys(changes).length) await this.users.update({ id }, changes);
    return this.me(id);
  }

  async preferences(id: string): Promise<{ weeklyDigest: boolean }> {
    const user = await this.users.findOne({ where: { id }, select: { id: true, weeklyDigest: true } });
    if (!user) throw new NotFoundException({ message: '人员不存在', code: 'USER_NOT_FOUND' });
    return { weeklyDigest: user.weeklyDigest };
  }

  async updatePreferences(id: string, changes: { weeklyDigest: boolean }): Promise<{ weeklyDigest: boolean }> {
    await this.users.update({ id }, { weeklyDigest: changes.weeklyDigest });
    return this.preferences(id);
  }

  /** Changes the caller's password; every token issued before stops working. Returns the fresh user. */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<User> {
    const user = await this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new UnauthorizedException({ message: '当前密码不正确', code: 'BAD_CURRENT_PASSWORD' });
    }
    if (currentPassword === newPassword) {
      throw new BadRequestException({ message: '新密码不能与当前密码相同', code: 'PASSWORD_UNCHANGED' });
    }
    await this.users.update(
      { id },
      {
        passwordHash: await hashPassword(newPassword),
        mustChangePassword: false,
        initialPasswordExpiresAt: null,
        tokenVersion: user.tokenVersion + 1,
      },
    );
    await this.forgetTokenUsers([id]);
    return (await this.users.findOneByOrFail({ id }));
  }

  /** An admin hands out a new one-time initial password; the user must replace it at first login. */
  async resetPassword(id: string, actor: AuthUser): Promise<{ username: string; initialPassword: string; expiresAt: Date }> {
    const user = await this.get(id, actor);
    assertMayManage(actor, user);
    const initialPassword = generateInitialPassword();
    const expiresAt = this.initialPasswordExpiry();
    await this.users.update(
      { id },
      { passwordHash: hashInitialPassword(initialPassword), mustChangePassword: true, initialPasswordExpiresAt: expiresAt },
    );
    await this.users.increment({ id }, 'tokenVersion', 1);
    await this.forgetTokenUsers([id]);
    return { username: user.username, initialPassword, expiresAt };
  }

  initialPasswordExpiry(): Date {
    return new Date(Date.now() + this.config.auth.initialPasswordTtlDays * 24 * 3600 * 1000);
  }

  /** Used by `admin:create`: creates a department admin or resets that user's password. */
  async upsertDepartmentAdmin(username: string, name: string, password: string): Promise<'created' | 'reset'> {
    const existing = await this.users.findOne({ where: { username }, select: { id: true, tokenVersion: true } });
    const passwordHash = await hashPassword(password);
    if (existing) {
      await this.users.update(
        { id: existing.id },
        { passwordHash, role: 'admin', unitId: null, branchId: null, active: true, mustChangePassword: false, initialPasswordExpiresAt: null, tokenVersion: existing.tokenVersion + 1 },
      );
      await this.forgetTokenUsers([existing.id]);
      return 'reset';
    }
    await this.users.save(this.users.create({ username, name, role: 'admin', passwordHash }));
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

  private viewQuery() {
    return this.users
      .createQueryBuilder('u')
      .leftJoin('u.branch', 'branch')
      .addSelect(['branch.id', 'branch.name'])
      .leftJoin('u.unit', 'unit')
      .addSelect(['unit.id', 'unit.name']);
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

export function toUserView(user: User): UserView {
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
    branch: user.branch ? { id: user.branch.id, name: user.branch.name } : null,
    unit: user.unit ? { id: user.unit.id, name: user.unit.name } : null,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

