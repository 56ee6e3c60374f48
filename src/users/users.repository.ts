import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, Repository } from 'typeorm';
import { like } from '../common/like';
import type { Role } from '../common/roles';
import type { Subquery } from '../database/subquery';
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

/** Who may learn: active secretaries (chosen when they are enrolled). */
const LEARNER = `u.role = 'secretary' AND u.active = 1`;

/** Whom an enrolment names: these people, these branches' or units' learners (all learners when omitted). */
export interface LearnerScope {
  userIds?: string[];
  branchIds?: string[];
  unitIds?: string[];
}

/** A person as a reminder reaches them. */
export interface ReminderRecipient {
  id: string;
  name: string;
  email: string | null;
  weeklyDigest: boolean;
  role: string;
  unitId: string | null;
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

  /** For commands that run without the Nest container (seed:scale). */
  static on(dataSource: DataSource): UsersRepository {
    return new UsersRepository(dataSource.getRepository(User));
  }

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

  /** The account by 工号: the demo seed finds its people so. */
  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  /** An active person's role, or null when they are unknown or deactivated. */
  async activeRole(userId: string): Promise<Role | null> {
    const row = await this.users.findOne({ where: { id: userId, active: true }, select: { id: true, role: true } });
    return row?.role ?? null;
  }

  /** The person a reminder goes to, if active. */
  async findActiveRecipient(id: string): Promise<ReminderRecipient | null> {
    const [row] = await this.users.query(`SELECT id, name, email, active, weekly_digest, role, unit_id FROM users WHERE id = ?`, [id]);
    if (!row || Number(row.active) !== 1) return null;
    return {
      id: String(row.id),
      name: row.name,
      email: row.email ?? null,
      weeklyDigest: Number(row.weekly_digest) === 1,
      role: row.role,
      unitId: row.unit_id === null ? null : String(row.unit_id),
    };
  }

  // For other modules: labels for a page of rows, and subqueries to filter by place.

  /** Name, 工号 and place of each user, in one query, inside the caller's transaction when given. */
  async labelsByIds(ids: string[], manager?: EntityManager): Promise<Map<string, UserLabel>> {
    if (!ids.length) return new Map();
    const rows = await (manager ?? this.users.manager).find(User, {
      where: { id: In([...new Set(ids)]) },
      select: { id: true, username: true, name: true, unitId: true, branchId: true },
    });
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** The names of these people, in one query. */
  async namesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.users.query(`SELECT id, name FROM users WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [String(r.id), r.name]));
  }

  /** Id and name of these people, in name order: one query per page. */
  async namesInNameOrder(ids: string[]): Promise<{ id: string; name: string }[]> {
    if (!ids.length) return [];
    const rows = await this.users.find({ where: { id: In([...new Set(ids)]) }, select: { id: true, name: true }, order: { name: 'ASC' } });
    return rows.map((row) => ({ id: row.id, name: row.name }));
  }

  /** Which of these people are active instructors. */
  async activeInstructorIds(ids: string[], manager?: EntityManager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await (manager ?? this.users.manager).find(User, { where: { id: In(ids), role: 'instructor', active: true }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  /** Instructors by username (content files name them so). */
  async instructorsByUsername(usernames: string[], manager?: EntityManager): Promise<{ id: string; username: string }[]> {
    if (!usernames.length) return [];
    return (manager ?? this.users.manager).find(User, { where: { username: In(usernames), role: 'instructor' }, select: { id: true, username: true } });
  }

  /** Which of these people are learners (in the unit, when given). */
  async learnersAmong(ids: string[], unitId: string | null): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.users.query(
      `SELECT u.id FROM users u WHERE u.id IN (?) AND ${LEARNER}${unitId !== null ? ' AND u.unit_id = ?' : ''}`,
      [ids, ...(unitId !== null ? [unitId] : [])],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /** The learners among these people, with where they are placed. */
  async placedLearners(ids: string[], manager?: EntityManager): Promise<UserLabel[]> {
    if (!ids.length) return [];
    const rows: Record<string, unknown>[] = await (manager ?? this.users.manager).query(
      `SELECT u.id, u.username, u.name, u.branch_id AS branchId, u.unit_id AS unitId FROM users u WHERE u.id IN (?) AND ${LEARNER}`,
      [ids],
    );
    return rows.map(toLabel);
  }

  /**
   * A page of the people selected by `idIn` (an owner's subquery, e.g. a course's enrolments), by 工号,
   * filtered by units (each must hold: a unit admin's own and a chosen one), branch and a name or 工号 search, with the total.
   */
  async pageWithin(
    idIn: Subquery,
    filter: { unitIds: string[]; branchId?: string; q?: string },
    page: { skip: number; take: number },
  ): Promise<{ rows: UserLabel[]; total: number }> {
    const where = [`u.id IN (${idIn.sql})`];
    const params: unknown[] = [...idIn.params];
    for (const unitId of filter.unitIds) {
      where.push('u.unit_id = ?');
      params.push(unitId);
    }
    if (filter.branchId) {
      where.push('u.branch_id = ?');
      params.push(filter.branchId);
    }
    if (filter.q) {
      where.push('(u.name LIKE ? OR u.username LIKE ?)');
      params.push(like(filter.q), like(filter.q));
    }
    const clause = where.join(' AND ');
    const [{ total }] = await this.users.query(`SELECT COUNT(*) AS total FROM users u WHERE ${clause}`, params);
    const rows: Record<string, unknown>[] = await this.users.query(
      `SELECT u.id, u.username, u.name, u.branch_id AS branchId, u.unit_id AS unitId FROM users u WHERE ${clause} ORDER BY u.username LIMIT ? OFFSET ?`,
      [...params, page.take, page.skip],
    );
    return { rows: rows.map(toLabel), total: Number(total) };
  }

  /**
   * `id, unit_id, branch_id` of every person: where each is placed now, a derived table for the enrollments
   * repository's placements (the copies progress keeps of a learner's unit and branch).
   */
  places(): Subquery {
    return { sql: `SELECT id, unit_id, branch_id FROM users`, params: [] };
  }

  /** `SELECT id FROM users WHERE unit_id = ?`, to compose as `user_id IN (…)`. */
  idsInUnit(unitId: string): Subquery {
    return { sql: 'SELECT id FROM users WHERE unit_id = ?', params: [unitId] };
  }

  /** `SELECT id FROM users WHERE branch_id = ?`, to compose as `user_id IN (…)`. */
  idsInBranch(branchId: string): Subquery {
    return { sql: 'SELECT id FROM users WHERE branch_id = ?', params: [branchId] };
  }

  /** Learners among these people, of these branches or units, or all of them (then `where` is omitted). */
  learnerIds(where?: LearnerScope): Subquery {
    if (where?.userIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.id IN (?)`, params: [where.userIds] };
    if (where?.branchIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.branch_id IN (?)`, params: [where.branchIds] };
    if (where?.unitIds) return { sql: `SELECT u.id FROM users u WHERE ${LEARNER} AND u.unit_id IN (?)`, params: [where.unitIds] };
    return { sql: `SELECT u.id FROM users u WHERE ${LEARNER}`, params: [] };
  }

  /** The same learners as learnerIds, the column named `user_id` (a selection of people to remind). */
  learnerUserIds(where?: LearnerScope): Subquery {
    const learners = this.learnerIds(where);
    return { sql: learners.sql.replace(/^SELECT u\.id /, 'SELECT u.id AS user_id '), params: learners.params };
  }

  /** Active people. */
  activeIds(): Subquery {
    return { sql: `SELECT u.id FROM users u WHERE u.active = 1`, params: [] };
  }

  /** Active people who take the weekly digest. */
  digestReaderIds(): Subquery {
    return { sql: `SELECT u.id FROM users u WHERE u.active = 1 AND u.weekly_digest = 1`, params: [] };
  }

  /**
   * The admins (`user_id`) who take the weekly summary of a course: the department's, and each unit admin
   * whose unit has one of the `learners` (ids).
   */
  summaryReaderIds(learners: Subquery): Subquery {
    return {
      sql: `SELECT u.id AS user_id FROM users u
             WHERE u.role = 'admin' AND u.active = 1 AND u.weekly_digest = 1
               AND (u.unit_id IS NULL OR u.unit_id IN (SELECT DISTINCT l.unit_id FROM users l WHERE l.id IN (${learners.sql}) AND l.unit_id IS NOT NULL))`,
      params: learners.params,
    };
  }

  /** The active secretaries of each of these branches (usually one each). */
  async secretariesOfBranches(branchIds: string[]): Promise<Map<string, string[]>> {
    const byBranch = new Map<string, string[]>();
    if (!branchIds.length) return byBranch;
    const rows: { id: string; branch_id: string }[] = await this.users.query(
      `SELECT id, branch_id FROM users WHERE branch_id IN (?) AND role = 'secretary' AND active = 1 ORDER BY id`,
      [branchIds],
    );
    for (const row of rows) {
      const list = byBranch.get(String(row.branch_id)) ?? [];
      list.push(String(row.id));
      byBranch.set(String(row.branch_id), list);
    }
    return byBranch;
  }
}

function toLabel(row: Record<string, unknown>): UserLabel {
  return {
    id: String(row.id),
    username: row.username as string,
    name: row.name as string,
    branchId: row.branchId === null ? null : String(row.branchId),
    unitId: row.unitId === null ? null : String(row.unitId),
  };
}
