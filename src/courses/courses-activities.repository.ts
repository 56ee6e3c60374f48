import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { ActivitySettings } from './activity-settings';
import { Activity, type ActivityType } from './activity.entity';
import { Course } from './course.entity';

/**
 * Courses and their activities as the learning activities (videos, readings, discussions, quizzes, sessions)
 * read them: SQL on the courses and activities tables only.
 */
@Injectable()
export class CoursesActivitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findActivity(activityId: string, manager?: EntityManager): Promise<Activity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Activity, { id: activityId });
  }

  async findCourse(courseId: string, manager?: EntityManager): Promise<Course | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Course, { id: courseId });
  }

  /** The course's live (not archived) activities of one kind. */
  async findLiveActivities(courseId: string, type: ActivityType, manager?: EntityManager): Promise<Activity[]> {
    return (manager ?? this.dataSource.manager).find(Activity, { where: { courseId, type, archivedAt: IsNull() } });
  }

  /** The ids of the course's activities of one kind, archived ones included. */
  async findActivityIds(courseId: string, type: ActivityType): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM activities WHERE course_id = ? AND type = ?`, [courseId, type]);
    return rows.map((row) => String(row.id));
  }

  /** These activities, by id (for a batch of the video flush). */
  async findActivities(activityIds: string[]): Promise<Activity[]> {
    if (!activityIds.length) return [];
    return this.dataSource.getRepository(Activity).findBy({ id: In(activityIds) });
  }

  /** Locks the activity's row: writers of what belongs to one activity take turns on it. */
  async lockActivity(manager: EntityManager, activityId: string): Promise<void> {
    await manager.getRepository(Activity).findOne({ where: { id: activityId }, lock: { mode: 'pessimistic_write' } });
  }

  async updateSettings(manager: EntityManager, activityId: string, settings: ActivitySettings): Promise<void> {
    await manager.update(Activity, { id: activityId }, { settings });
  }

  /** Subquery: the ids of the courses in one of these states. */
  courseIdsWithStatus(statuses: Course['status'][]): { sql: string; params: unknown[] } {
    return { sql: `SELECT id FROM courses WHERE status IN (?)`, params: [statuses] };
  }

  /** Subquery: the ids of the courses an instructor teaches. */
  courseIdsTaughtBy(userId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT course_id FROM course_instructors WHERE user_id = ?`, params: [userId] };
  }

  /** Subquery: the ids of the readings whose reflections wait for a reviewer's approval. */
  readingIdsNeedingApproval(): { sql: string; params: unknown[] } {
    return { sql: `SELECT id FROM activities WHERE type = 'reading' AND JSON_CONTAINS(settings, 'true', '$.reflectionNeedsApproval') = 1`, params: [] };
  }

  /** The titles of a page's courses, in one query. */
  async courseTitlesByIds(courseIds: string[]): Promise<Map<string, string>> {
    if (!courseIds.length) return new Map();
    const rows: { id: string; title: string }[] = await this.dataSource.query(`SELECT id, title FROM courses WHERE id IN (?)`, [[...new Set(courseIds)]]);
    return new Map(rows.map((r) => [String(r.id), r.title]));
  }
}
