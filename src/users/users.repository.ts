import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, Repository } from 'typeorm';
import { like } from '../common/like';
import type { Role } from '../common/roles';
import type { TokenUser } from './token-user-cache';
import { User } from './user.entity';

/** What a page of rows elsewhere shows of a person (their unit's and branch's names come from the org module). */
export type UserLabel = Pick<User, 'id' | 'username' | 'name' | 'unitId' | 'branchId'>;

export interface UserFilter {
  /** A unit admin's unit: only its people are seen. */
  scopeUnitId: string | null;
  role?: Role;
  branchId?: string;
  unitId?: string;
  active?: boolean;
  /** Searched in name, username, e-mail and phone. */
  q?: string;
  skip: number;
  take: number;
}

/** A roster row's person as stored, to compare with the file. */
export type RosterPerson = Pick<User, 'id' | 'username' | 'name' | 'role' | 'email' | 'phone' | 'unitId' | 'branchId'>;

export type NewUser = Pick<User, 'username' | 'name' | 'role' | 'email' | 'phone' | 'unitId' | 'branchId' | 'passwordHash' | 'mustChangePassword' | 'initialPasswordExpiresAt'>;

/** Many rows per statement, few enough for MySQL's placeholder limit. */
const CHUNK = 1000;

/** Every query on `users`. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The account with its password hash, by 工号. */
  findForLogin(username: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :username', { username }).getOne();
  }

  findWithPasswordHash(id: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id } });
  }

  /** An active user as a token needs it; null for a deactivated or unknown one. */
  findActiveTokenUser(id: string): Promise<TokenUser | null> {
    return this.users.findOne({
      where: { id, active: true },
      select: { id: true, username: true, name: true, role: true, unitId: true, branchId: true, tokenVersion: true, mustChangePassword: true },
    });
  }

  findIdAndTokenVersionByUsername(username: string): Promise<Pick<User, 'id' | 'tokenVersion'> | null> {
    return this.users.findOne({ where: { username }, select: { id: true, tokenVersion: true } });
  }

  existsUsername(username: string): Promise<boolean> {
    return this.users.exists({ where: { username } });
  }

  async insert(values: Partial<NewUser> & Pick<NewUser, 'username' | 'name' | 'role' | 'passwordHash'>, manager?: EntityManager): Promise<string> {
    const m = manager ?? this.users.manager;
    return (await m.save(m.create(User, values))).id;
  }

  async update(id: string, changes: Partial<User>, manager?: EntityManager): Promise<void> {
    await (manager ?? this.users.manager).update(User, { id }, changes);
  }

  /** Ends every session the user has: tokens carry the version they were issued with. */
  async incrementTokenVersion(id: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.users.manager).increment(User, { id }, 'tokenVersion', 1);
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: new Date() });
  }

  pageOf(filter: UserFilter): Promise<[User[], number]> {
    const qb = this.users.createQueryBuilder('u').orderBy('u.id', 'ASC').skip(filter.skip).take(filter.take);
    if (filter.scopeUnitId !== null) qb.andWhere('u.unit_id = :scope', { scope: filter.scopeUnitId });
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    if (filter.branchId) qb.andWhere('u.branch_id = :branchId', { branchId: filter.branchId });
    if (filter.unitId) qb.andWhere('u.unit_id = :unitId', { unitId: filter.unitId });
    if (filter.active !== undefined) qb.andWhere('u.active = :active', { active: filter.active });
    if (filter.q) {
      const q = like(filter.q);
      qb.andWhere(new Brackets((w) => w.where('u.name LIKE :q', { q }).orWhere('u.username LIKE :q').orWhere('u.email LIKE :q').orWhere('u.phone LIKE :q')));
    }
    return qb.getManyAndCount();
  }

  /** The user, if in `scopeUnitId` when one is given (a unit admin sees only their unit's people). */
  findInScope(id: string, scopeUnitId: string | null): Promise<User | null> {
    return this.users.findOne({ where: scopeUnitId === null ? { id } : { id, unitId: scopeUnitId } });
  }

  async findWeeklyDigest(id: string): Promise<boolean | null> {
    return (await this.users.findOne({ where: { id }, select: { id: true, weeklyDigest: true } }))?.weeklyDigest ?? null;
  }

  /** Moves a branch's people to the branch's new unit; answers who moved. */
  async moveBranchPeople(branchId: string, unitId: string, manager?: EntityManager): Promise<string[]> {
    const m = manager ?? this.users.manager;
    const people: { id: string }[] = await m.query(`SELECT id FROM users WHERE branch_id = ?`, [branchId]);
    await m.query(`UPDATE users SET unit_id = ? WHERE branch_id = ?`, [unitId, branchId]);
    return people.map((p) => String(p.id));
  }

  async findRosterPeople(usernames: string[]): Promise<RosterPerson[]> {
    const found: RosterPerson[] = [];
    for (let i = 0; i < usernames.length; i += CHUNK) {
      found.push(
        ...(await this.users.find({
          where: { username: In(usernames.slice(i, i + CHUNK)) },
          select: { id: true, username: true, name: true, role: true, email: true, phone: true, unitId: true, branchId: true },
        })),
      );
    }
    return found;
  }

  /** Many accounts at once (a roster's newcomers); answers their ids. */
  async insertMany(values: NewUser[], manager?: EntityManager): Promise<string[]> {
    const m = manager ?? this.users.manager;
    for (let i = 0; i < values.length; i += CHUNK) {
      await m.createQueryBuilder().insert().into(User).values(values.slice(i, i + CHUNK)).updateEntity(false).execute();
    }
    if (!values.length) return [];
    const rows = await m.find(User, { where: { username: In(values.map((v) => v.username)) }, select: { id: true } });
    return rows.map((u) => u.id);
  }

  // For other modules: labels for a page of rows, and subqueries to filter by place.

  /** Name, 工号 and place of each user, in one query. */
  async labelsByIds(ids: string[]): Promise<Map<string, UserLabel>> {
    if (!ids.length) return new Map();
    const rows = await this.users.find({
      where: { id: In([...new Set(ids)]) },
      select: { id: true, username: true, name: true, unitId: true, branchId: true },
    });
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** `SELECT id FROM users WHERE unit_id = ?`, to compose as `user_id IN (…)`. */
  idsInUnit(unitId: string): { sql: string; params: unknown[] } {
    return { sql: 'SELECT id FROM users WHERE unit_id = ?', params: [unitId] };
  }

  /** Active secretaries, the people who learn: `SELECT id FROM users WHERE role = 'secretary' AND active = 1`. */
  learnerIds(): { sql: string; params: unknown[] } {
    return { sql: `SELECT id FROM users WHERE role = 'secretary' AND active = 1`, params: [] };
  }

  /** `SELECT id FROM users WHERE branch_id = ?`, to compose as `user_id IN (…)`. */
  idsInBranch(branchId: string): { sql: string; params: unknown[] } {
    return { sql: 'SELECT id FROM users WHERE branch_id = ?', params: [branchId] };
  }
}
