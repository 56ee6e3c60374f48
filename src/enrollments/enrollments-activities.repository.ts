import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Enrolments as the learning activities (videos, readings, discussions, quizzes, sessions) ask about them:
 * SQL on the enrollments table only; filters by other modules' data come in as subqueries.
 */
@Injectable()
export class EnrollmentsActivitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Subquery: the ids of the course's active learners. */
  activeLearnerIds(courseId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT user_id FROM enrollments WHERE course_id = ? AND status = 'active'`, params: [courseId] };
  }

  async isActiveLearner(courseId: string, userId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? AND status = 'active'`,
      [courseId, userId],
    );
    return rows.length > 0;
  }

  /** The course's active learners, all or those among `within` (a subquery of user ids), in id order. */
  async findActiveLearnerIds(courseId: string, within?: { sql: string; params: unknown[] }): Promise<string[]> {
    const rows: { userId: string }[] = await this.dataSource.query(
      `SELECT user_id AS userId FROM enrollments WHERE course_id = ? AND status = 'active' ${within ? `AND user_id IN (${within.sql})` : ''} ORDER BY user_id`,
      [courseId, ...(within?.params ?? [])],
    );
    return rows.map((r) => String(r.userId));
  }

  /** Which of these users are active learners of the course. */
  async findActiveAmong(courseId: string, userIds: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { userId: string }[] = await this.dataSource.query(
      `SELECT user_id AS userId FROM enrollments WHERE course_id = ? AND status = 'active' AND user_id IN (?)`,
      [courseId, userIds],
    );
    return new Set(rows.map((r) => String(r.userId)));
  }
}
