import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
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

  // for progress

  findById(id: string, manager?: EntityManager): Promise<Activity | null> {
    return this.manager(manager).findOneBy(Activity, { id });
  }

  /** How many activities of the course count as required (live, required). */
  async countRequired(courseId: string, manager?: EntityManager): Promise<number> {
    const [row] = await this.manager(manager).query(`SELECT COUNT(*) AS n FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`, [courseId]);
    return Number(row.n);
  }

  /** The ids of the course's activities that count as required (live, required). */
  requiredIds(courseId: string): Subquery {
    return { sql: `SELECT id FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`, params: [courseId] };
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
