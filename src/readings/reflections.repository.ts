import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { InboxStatus } from './dto/review-inbox.dto';
import { Reflection, ReflectionRevision, ReflectionStatus } from './reflection.entity';

type SubQuery = { sql: string; params: unknown[] };
type Row = Record<string, unknown>;

/** A reflection that was returned before and is waiting again. */
const RESUBMITTED = `EXISTS (SELECT 1 FROM reflection_revisions rv WHERE rv.reflection_id = r.id AND rv.event = 'returned')`;

const STATUS_SQL: Record<InboxStatus, string> = {
  waiting: `r.status = 'submitted'`,
  resubmitted: `r.status = 'submitted' AND ${RESUBMITTED}`,
  returned: `r.status = 'returned'`,
};

/** Learners' reflections on readings and their history (submitted, returned, approved). */
@Injectable()
export class ReflectionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, manager?: EntityManager): Promise<Reflection | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Reflection, { id });
  }

  async findOwn(activityId: string, userId: string): Promise<Reflection | null> {
    return this.dataSource.getRepository(Reflection).findOneBy({ activityId, userId });
  }

  /** One page of a reading's reflections, in submission order, narrowed as the caller may see them. */
  async page(
    activityId: string,
    filter: { userId?: string; submittedOnly: boolean; within?: SubQuery; status?: ReflectionStatus },
    skip: number,
    take: number,
  ): Promise<[Reflection[], number]> {
    const qb = this.dataSource
      .getRepository(Reflection)
      .createQueryBuilder('r')
      .where('r.activity_id = :activityId', { activityId })
      .orderBy('r.submitted_at', 'ASC')
      .addOrderBy('r.id', 'ASC');
    if (filter.userId) qb.andWhere('r.user_id = :me', { me: filter.userId });
    if (filter.submittedOnly) qb.andWhere("r.status <> 'draft'");
    if (filter.within) {
      // The owner's subquery has positional parameters; the query builder takes named ones.
      let i = 0;
      const sql = filter.within.sql.replace(/\?/g, () => `:within${i++}`);
      qb.andWhere(`r.user_id IN (${sql})`, Object.fromEntries(filter.within.params.map((p, n) => [`within${n}`, p])));
    }
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    return qb.skip(skip).take(take).getManyAndCount();
  }

  /** 优秀心得 the authors agreed to share, most recently approved first. */
  async findShowcase(activityId: string): Promise<Reflection[]> {
    return this.dataSource
      .getRepository(Reflection)
      .createQueryBuilder('r')
      .where("r.activity_id = :activityId AND r.excellent = 1 AND r.share_consent = 1 AND r.status = 'approved'", { activityId })
      .orderBy('r.reviewed_at', 'DESC')
      .getMany();
  }

  /**
   * The learner's reflection row, created empty if missing (an empty draft, which reads as "none yet"), and
   * locked. Creating it with INSERT … ON DUPLICATE KEY takes the row's exclusive lock at once; locking a row
   * that does not exist yet (SELECT … FOR UPDATE) would take a gap lock instead, and learners submitting their
   * first reflection to the same reading at the same moment then deadlock on each other's INSERT.
   */
  async lockOwn(manager: EntityManager, activity: { id: string; courseId: string }, userId: string): Promise<Reflection> {
    await manager.query(
      `INSERT INTO reflections (activity_id, course_id, user_id, body, char_count, status) VALUES (?, ?, ?, '', 0, 'draft')
       ON DUPLICATE KEY UPDATE id = id`,
      [activity.id, activity.courseId, userId],
    );
    return manager
      .createQueryBuilder(Reflection, 'r')
      .setLock('pessimistic_write')
      .where('r.activity_id = :activityId AND r.user_id = :userId', { activityId: activity.id, userId })
      .getOneOrFail();
  }

  async update(manager: EntityManager, id: string, values: Partial<Reflection>): Promise<void> {
    await manager.update(Reflection, { id }, values);
  }

  /**
   * Records a review only if the reflection is still as the reviewer saw it: of two reviewers acting at once,
   * the second changes nothing. Returns whether it was recorded.
   */
  async review(manager: EntityManager, id: string, seen: ReflectionStatus, from: ReflectionStatus[], values: Partial<Reflection>): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Reflection)
      .set(values)
      .where('id = :id AND status IN (:...from) AND status = :seen', { id, from, seen })
      .execute();
    return result.affected === 1;
  }

  async addRevision(manager: EntityManager, values: Pick<ReflectionRevision, 'reflectionId' | 'event' | 'body' | 'feedback' | 'actorId'>): Promise<void> {
    await manager.insert(ReflectionRevision, values);
  }

  async countRevisions(reflectionId: string): Promise<number> {
    return this.dataSource.getRepository(ReflectionRevision).count({ where: { reflectionId } });
  }

  async findRevisions(reflectionId: string): Promise<ReflectionRevision[]> {
    return this.dataSource.getRepository(ReflectionRevision).find({ where: { reflectionId }, order: { id: 'ASC' } });
  }

  /** Classmates' reflections whose SimHash lies within `bits` of this one, closest first (at most 20). */
  async findSimilarCandidates(activityId: string, userId: string, hash: bigint, bits: number): Promise<{ id: string; body: string }[]> {
    return this.dataSource.query(
      `SELECT id, body FROM reflections
        WHERE activity_id = ? AND user_id <> ? AND status <> 'draft' AND BIT_COUNT(simhash ^ CAST(? AS UNSIGNED)) <= ?
        ORDER BY BIT_COUNT(simhash ^ CAST(? AS UNSIGNED)) LIMIT 20`,
      [activityId, userId, hash.toString(), bits, hash.toString()],
    );
  }

  // ---- The review inbox: `scope` is one predicate over the reflection `r`, built from the owners' subqueries ----

  /** How many reflections in scope wait, wait again, or were returned. */
  async countInbox(scope: SubQuery): Promise<Record<InboxStatus, number>> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT COALESCE(SUM(${STATUS_SQL.waiting}), 0) AS waiting,
              COALESCE(SUM(${STATUS_SQL.resubmitted}), 0) AS resubmitted,
              COALESCE(SUM(${STATUS_SQL.returned}), 0) AS returned
         FROM reflections r WHERE ${scope.sql}`,
      scope.params,
    );
    return { waiting: Number(row.waiting), resubmitted: Number(row.resubmitted), returned: Number(row.returned) };
  }

  /** One page of the inbox's tab, oldest submission first, with whether each was resubmitted. */
  async pageInbox(scope: SubQuery, status: InboxStatus, skip: number, take: number): Promise<(Reflection & { resubmitted: boolean })[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT r.id, ${RESUBMITTED} AS resubmitted FROM reflections r
        WHERE ${scope.sql} AND ${STATUS_SQL[status]}
        ORDER BY r.submitted_at, r.id LIMIT ? OFFSET ?`,
      [...scope.params, take, skip],
    );
    return this.withResubmitted(rows);
  }

  /** One reflection in scope, with whether it was resubmitted; null outside the scope. */
  async findInScope(scope: SubQuery, id: string): Promise<(Reflection & { resubmitted: boolean }) | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT r.id, ${RESUBMITTED} AS resubmitted FROM reflections r WHERE ${scope.sql} AND r.id = ?`, [
      ...scope.params,
      id,
    ]);
    return (await this.withResubmitted(rows))[0] ?? null;
  }

  /** These reflections, by id (the classmates' texts a page's reflections resemble). */
  async findByIds(ids: string[]): Promise<Map<string, Reflection>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource.getRepository(Reflection).createQueryBuilder('r').where('r.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(rows.map((r) => [String(r.id), r]));
  }

  private async withResubmitted(rows: Row[]): Promise<(Reflection & { resubmitted: boolean })[]> {
    const found = await this.findByIds(rows.map((r) => String(r.id)));
    return rows.map((r) => ({ ...found.get(String(r.id))!, resubmitted: Boolean(Number(r.resubmitted)) }));
  }

  /** Per learner, their approved reflections marked 优秀 in these courses. */
  async excellentCountsOf(userIds: string[], courseIds: string[]): Promise<Map<string, number>> {
    if (!userIds.length || !courseIds.length) return new Map();
    const rows: { user_id: string; n: string }[] = await this.dataSource.query(
      `SELECT user_id, COUNT(*) AS n FROM reflections
        WHERE user_id IN (?) AND course_id IN (?) AND status = 'approved' AND excellent = 1
        GROUP BY user_id`,
      [userIds, courseIds],
    );
    return new Map(rows.map((r) => [String(r.user_id), Number(r.n)]));
  }
}
