import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { ActivityType } from '../access/course-rows';
import type { Subquery } from '../database/subquery';
import { Activity } from './activity.entity';

/** The activities table: the learning tasks of a course's plan. */
@Injectable()
export class ActivitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** In plan order. */
  /** The activities of several courses in one query, each course's in plan order. */
  async findByCourses(courseIds: string[]): Promise<Map<string, Activity[]>> {
    const byCourse = new Map(courseIds.map((id) => [id, [] as Activity[]]));
    if (!courseIds.length) return byCourse;
    const rows = await this.manager().find(Activity, { where: { courseId: In(courseIds) }, order: { position: 'ASC', id: 'ASC' } });
    for (const row of rows) byCourse.get(row.courseId)?.push(row);
    return byCourse;
  }

  findByCourse(courseId: string, manager?: EntityManager): Promise<Activity[]> {
    return this.manager(manager).find(Activity, { where: { courseId }, order: { position: 'ASC', id: 'ASC' } });
  }

  findByContentKey(courseId: string, contentKey: string): Promise<Activity> {
    return this.manager().findOneByOrFail(Activity, { courseId, contentKey });
  }

  /** Re-read under an exclusive lock, for an edit that must see the row as a concurrent one left it. */
  lockForUpdate(id: string, manager: EntityManager): Promise<Activity> {
    return manager.createQueryBuilder(Activity, 'a').setLock('pessimistic_write').where('a.id = :id', { id }).getOneOrFail();
  }

  /** A new activity, not yet saved (the plan is checked with it first). */
  build(fields: Partial<Activity>): Activity {
    return this.manager().create(Activity, fields);
  }

  async save(activity: Activity | Partial<Activity>, manager?: EntityManager): Promise<Activity> {
    const m = this.manager(manager);
    return m.save(Activity, m.create(Activity, activity));
  }

  async update(ids: string | string[], fields: Partial<Activity>, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(Activity, { id: Array.isArray(ids) ? In(ids) : ids }, fields);
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).delete(Activity, { id });
  }

  existsInSection(sectionId: string): Promise<boolean> {
    return this.manager().existsBy(Activity, { sectionId });
  }

  /** The position after the section's last activity. */
  async nextPosition(sectionId: string): Promise<number> {
    const [row] = await this.manager().query(`SELECT COALESCE(MAX(position), -1) + 1 AS next FROM activities WHERE section_id = ?`, [sectionId]);
    return Number(row.next);
  }

  findById(id: string, manager?: EntityManager): Promise<Activity | null> {
    return this.manager(manager).findOneBy(Activity, { id });
  }

  /** The activity, if it belongs to the course. */
  findInCourse(id: string, courseId: string): Promise<Activity | null> {
    return this.manager().findOneBy(Activity, { id, courseId });
  }

  /** These activities, by id (for a batch of the video flush or a page of reflections). */
  async findByIds(ids: string[]): Promise<Activity[]> {
    if (!ids.length) return [];
    return this.manager().findBy(Activity, { id: In(ids) });
  }

  /** The course's live (not archived) activities, of one kind when given. */
  findLive(courseId: string, type?: ActivityType, manager?: EntityManager): Promise<Activity[]> {
    return this.manager(manager).find(Activity, { where: { courseId, ...(type ? { type } : {}), archivedAt: IsNull() } });
  }

  /** The course's live required activities, soonest due first (undated last), then in plan order. */
  findRequiredByDue(courseId: string): Promise<Activity[]> {
    return this.manager()
      .createQueryBuilder(Activity, 'a')
      .where('a.courseId = :courseId AND a.archivedAt IS NULL AND a.required = 1', { courseId })
      .orderBy('a.dueAt IS NULL', 'ASC')
      .addOrderBy('a.dueAt', 'ASC')
      .addOrderBy('a.position', 'ASC')
      .getMany();
  }

  /** The ids of the course's activities of one kind, archived ones included. */
  async findIdsOfType(courseId: string, type: ActivityType): Promise<string[]> {
    const rows: { id: string }[] = await this.manager().query(`SELECT id FROM activities WHERE course_id = ? AND type = ?`, [courseId, type]);
    return rows.map((row) => String(row.id));
  }

  /**
   * Locks the activity's row, if it is still there: writers of what belongs to one activity take turns on it.
   * Unlike `lockForUpdate` it neither reads the row back nor fails when it is gone.
   */
  async lock(id: string, manager: EntityManager): Promise<void> {
    await manager.findOne(Activity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The readings whose reflections wait for a reviewer's approval. */
  readingIdsNeedingApproval(): Subquery {
    return { sql: `SELECT id FROM activities WHERE type = 'reading' AND JSON_CONTAINS(settings, 'true', '$.reflectionNeedsApproval') = 1`, params: [] };
  }

  // for progress

  /** How many activities of the course count as required (live, required). */
  async countRequired(courseId: string, manager?: EntityManager): Promise<number> {
    const [row] = await this.manager(manager).query(`SELECT COUNT(*) AS n FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`, [courseId]);
    return Number(row.n);
  }

  /** The ids of the course's activities that count as required (live, required). */
  requiredIds(courseId: string): Subquery {
    return { sql: `SELECT id FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`, params: [courseId] };
  }

  /** `id, due_at` of the course's required live activities that have a due date. */
  requiredDueDates(courseId: string): Subquery {
    return { sql: `SELECT id, due_at FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL AND due_at IS NOT NULL`, params: [courseId] };
  }

  /**
   * `id, counts_required, is_session` of activities (of one course, or all): a derived table to join for what
   * each activity counts as.
   */
  countingOf(courseId?: string): Subquery {
    return {
      sql: `SELECT id, (required = 1 AND archived_at IS NULL) AS counts_required, type = 'session' AS is_session FROM activities${courseId === undefined ? '' : ' WHERE course_id = ?'}`,
      params: courseId === undefined ? [] : [courseId],
    };
  }
}
