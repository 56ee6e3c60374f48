import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Activity } from './activity.entity';
import { Course } from './course.entity';

/** What reminders ask of the courses and activities tables. */
@Injectable()
export class CoursesRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for reminders

  /** Published courses that have started by `startedBy` and whose period plus grace has not passed at `now`. */
  async runningIds(startedBy: Date, now: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM courses WHERE status = 'published' AND starts_at <= ? AND DATE_ADD(ends_at, INTERVAL grace_days DAY) >= ?`,
      [startedBy, now],
    );
    return rows.map((c) => String(c.id));
  }

  findById(id: string): Promise<Course | null> {
    return this.dataSource.getRepository(Course).findOneBy({ id });
  }

  /** The course's activities that are not archived. */
  findLiveActivities(courseId: string): Promise<Activity[]> {
    return this.dataSource.getRepository(Activity).createQueryBuilder('a').where('a.courseId = :courseId AND a.archivedAt IS NULL', { courseId }).getMany();
  }

  /** The course's live required activities, soonest due first (undated last), then in plan order. */
  findRequiredByDue(courseId: string): Promise<Activity[]> {
    return this.dataSource
      .getRepository(Activity)
      .createQueryBuilder('a')
      .where('a.courseId = :courseId AND a.archivedAt IS NULL AND a.required = 1', { courseId })
      .orderBy('a.dueAt IS NULL', 'ASC')
      .addOrderBy('a.dueAt', 'ASC')
      .addOrderBy('a.position', 'ASC')
      .getMany();
  }

  findActivity(id: string, courseId: string): Promise<Activity | null> {
    return this.dataSource.getRepository(Activity).findOneBy({ id, courseId });
  }

  /** The titles of these courses, in one query. */
  async titlesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; title: string }> = await this.dataSource.query(`SELECT id, title FROM courses WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((c) => [String(c.id), c.title]));
  }
}
