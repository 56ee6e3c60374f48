import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Subquery } from '../database/subquery';
import type { CourseStatus } from '../access/course-rows';
import { Course } from './course.entity';
import { CourseInstructor } from './course-instructor.entity';

/** A page of courses, filtered by who may see them. */
export interface CoursePageFilter {
  status?: CourseStatus;
  /** Only the courses this person teaches. */
  taughtBy?: string;
  /** Only these courses (e.g. the ones the caller learns in). */
  idIn?: Subquery;
  /** Leave drafts out (learners never see them). */
  publishedOnly?: boolean;
  skip: number;
  take: number;
}

/** The courses and course_instructors tables. */
@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async create(fields: Partial<Course>, manager?: EntityManager): Promise<Course> {
    const m = this.manager(manager);
    return m.save(m.create(Course, fields));
  }

  findById(id: string, manager?: EntityManager): Promise<Course | null> {
    return this.manager(manager).findOneBy(Course, { id });
  }

  findByIdOrFail(id: string): Promise<Course> {
    return this.manager().findOneByOrFail(Course, { id });
  }

  findByContentKey(contentKey: string, manager?: EntityManager): Promise<Course | null> {
    return this.manager(manager).findOneBy(Course, { contentKey });
  }

  /** Re-read under an exclusive lock: a concurrent close or edit is seen, never overwritten. */
  lockForUpdate(id: string, manager: EntityManager): Promise<Course | null> {
    return manager.createQueryBuilder(Course, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  /** Re-read under a shared lock: the course cannot close while an activity of it is edited. */
  lockShared(id: string, manager: EntityManager): Promise<Course> {
    return manager.createQueryBuilder(Course, 'c').setLock('pessimistic_read').where('c.id = :id', { id }).getOneOrFail();
  }

  async update(id: string, fields: Partial<Course>, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(Course, { id }, fields);
  }

  /** Newest first. */
  async findPage(filter: CoursePageFilter): Promise<[Course[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.taughtBy) {
      where.push('c.id IN (SELECT ci.course_id FROM course_instructors ci WHERE ci.user_id = ?)');
      params.push(filter.taughtBy);
    }
    if (filter.idIn) {
      where.push(`c.id IN (${filter.idIn.sql})`);
      params.push(...filter.idIn.params);
    }
    if (filter.publishedOnly) where.push("c.status <> 'draft'");
    if (filter.status) {
      where.push('c.status = ?');
      params.push(filter.status);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.manager().query(`SELECT COUNT(*) AS total FROM courses c ${clause}`, params);
    const page: { id: string }[] = await this.manager().query(
      `SELECT c.id FROM courses c ${clause} ORDER BY c.starts_at DESC, c.id DESC LIMIT ? OFFSET ?`,
      [...params, filter.take, filter.skip],
    );
    return [await this.findInOrder(page.map((row) => String(row.id))), Number(total)];
  }

  /** The courses a person learns in (published ones) or teaches, for their calendar feed. */
  async findLearnedOrTaught(userId: string, learned: Subquery): Promise<Course[]> {
    const rows: { id: string }[] = await this.manager().query(
      `SELECT id FROM courses
        WHERE (status <> 'draft' AND id IN (${learned.sql})) OR id IN (SELECT ci.course_id FROM course_instructors ci WHERE ci.user_id = ?)
        ORDER BY id`,
      [...learned.params, userId],
    );
    return this.findInOrder(rows.map((row) => String(row.id)));
  }

  private async findInOrder(ids: string[]): Promise<Course[]> {
    if (!ids.length) return [];
    const rows = await this.manager().findBy(Course, { id: In(ids) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is Course => row !== undefined);
  }

  /** Courses still taking learners: not closed and not past their period. */
  idsOpenForEnrollment(): Subquery {
    return { sql: "SELECT c.id FROM courses c WHERE c.status <> 'closed' AND c.ends_at > CURRENT_TIMESTAMP(3)", params: [] };
  }

  /** The courses in one of these states. */
  idsWithStatus(statuses: CourseStatus[]): Subquery {
    return { sql: `SELECT id FROM courses WHERE status IN (?)`, params: [statuses] };
  }

  /** Published courses that have started by `startedBy` and whose period plus grace has not passed at `now`. */
  async findRunningIds(startedBy: Date, now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.manager().query(
      `SELECT id FROM courses WHERE status = 'published' AND starts_at <= ? AND DATE_ADD(ends_at, INTERVAL grace_days DAY) >= ?`,
      [startedBy, now],
    );
    return rows.map((row) => String(row.id));
  }

  /** The titles of these courses, in one query. */
  async titlesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; title: string }[] = await this.manager().query(`SELECT id, title FROM courses WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((row) => [String(row.id), row.title]));
  }

  /** The courses past draft (the ones with learners' summaries). */
  async findIdsPastDraft(): Promise<string[]> {
    const rows: { id: string }[] = await this.manager().query(`SELECT id FROM courses WHERE status <> 'draft' ORDER BY id`);
    return rows.map((row) => String(row.id));
  }

  // ---- Instructors ----

  async addInstructors(courseId: string, userIds: string[], manager?: EntityManager): Promise<void> {
    if (!userIds.length) return;
    await this.manager(manager)
      .createQueryBuilder()
      .insert()
      .into(CourseInstructor)
      .values(userIds.map((userId) => ({ courseId, userId })))
      .orIgnore()
      .execute();
  }

  async removeInstructors(courseId: string, userIds: string[], manager?: EntityManager): Promise<void> {
    if (userIds.length) await this.manager(manager).delete(CourseInstructor, { courseId, userId: In(userIds) });
  }

  /** The courses an instructor teaches. */
  idsTaughtBy(userId: string): Subquery {
    return { sql: `SELECT course_id FROM course_instructors WHERE user_id = ?`, params: [userId] };
  }

  countInstructors(courseId: string, manager?: EntityManager): Promise<number> {
    return this.manager(manager).countBy(CourseInstructor, { courseId });
  }

  /** Who teaches each course, as (course, user) pairs. */
  async instructorPairs(courseIds: string[]): Promise<{ courseId: string; userId: string }[]> {
    if (!courseIds.length) return [];
    const rows = await this.manager().find(CourseInstructor, { where: { courseId: In(courseIds) }, select: { courseId: true, userId: true } });
    return rows.map((row) => ({ courseId: String(row.courseId), userId: String(row.userId) }));
  }

  /** Courses past draft that start in [from, to): a year's training. */
  async idsStartingBetween(from: Date, to: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM courses WHERE status <> 'draft' AND starts_at >= ? AND starts_at < ? ORDER BY id`, [from, to]);
    return rows.map((r) => String(r.id));
  }
}
