import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Subquery } from '../database/subquery';
import type { ActivitySettings } from './activity-settings';
import type { ActivityRow, CourseRow } from './course-rows';

/**
 * A declared read model for authorization (like immich's AccessRepository): it reads the courses,
 * activities, course_instructors, enrollments and users tables by SQL only, to answer "who is this person
 * to this course" (and where people are placed), and never writes. It sits below the modules owning those tables, so it imports none of
 * their entities; their rows come back in the shapes of course-rows.ts.
 */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findCourse(courseId: string): Promise<CourseRow | null> {
    const [row] = await this.dataSource.query(`SELECT * FROM courses WHERE id = ?`, [courseId]);
    return row ? toCourseRow(row) : null;
  }

  async findActivity(activityId: string): Promise<ActivityRow | null> {
    const [row] = await this.dataSource.query(`SELECT * FROM activities WHERE id = ?`, [activityId]);
    return row ? toActivityRow(row) : null;
  }

  async teaches(courseId: string, userId: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM course_instructors WHERE course_id = ? AND user_id = ? LIMIT 1`, [courseId, userId]);
    return rows.length > 0;
  }

  /** Enrolled at all (withdrawn learners still see the course and their record), or actively. */
  async isEnrolled(courseId: string, userId: string, activeOnly = false): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM enrollments WHERE course_id = ? AND user_id = ? ${activeOnly ? "AND status = 'active'" : ''} LIMIT 1`,
      [courseId, userId],
    );
    return rows.length > 0;
  }

  /** Which of these people belong to the unit. */
  async idsInUnit(userIds: string[], unitId: string): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM users WHERE id IN (?) AND unit_id = ?', [userIds, unitId]);
    return new Set(rows.map((row) => String(row.id)));
  }

  /** The courses the person is enrolled in (withdrawn too, unless activeOnly). */
  courseIdsLearnedBy(userId: string, activeOnly = false): Subquery {
    return {
      sql: `SELECT e.course_id FROM enrollments e WHERE e.user_id = ?${activeOnly ? " AND e.status = 'active'" : ''}`,
      params: [userId],
    };
  }
}

type SqlRow = Record<string, unknown>;

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string | Date));
const id = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toCourseRow(row: SqlRow): CourseRow {
  return {
    id: String(row.id),
    title: row.title as string,
    description: (row.description as string | null) ?? null,
    startsAt: date(row.starts_at)!,
    endsAt: date(row.ends_at)!,
    graceDays: Number(row.grace_days),
    makeUpPolicy: row.make_up_policy as CourseRow['makeUpPolicy'],
    makeUpUntil: date(row.make_up_until),
    requiredCreditHours: Number(row.required_credit_hours),
    requiredSessions: Number(row.required_sessions),
    status: row.status as CourseRow['status'],
    publishedAt: date(row.published_at),
    closedAt: date(row.closed_at),
    contentKey: (row.content_key as string | null) ?? null,
    createdBy: id(row.created_by),
    createdAt: date(row.created_at)!,
    updatedAt: date(row.updated_at)!,
  };
}

function toActivityRow(row: SqlRow): ActivityRow {
  return {
    id: String(row.id),
    courseId: String(row.course_id),
    sectionId: String(row.section_id),
    type: row.type as ActivityRow['type'],
    title: row.title as string,
    required: Boolean(row.required),
    creditHours: Number(row.credit_hours),
    opensAt: date(row.opens_at),
    dueAt: date(row.due_at),
    position: Number(row.position),
    settings: JSON.parse(row.settings as string) as ActivitySettings,
    archivedAt: date(row.archived_at),
    contentKey: (row.content_key as string | null) ?? null,
    createdAt: date(row.created_at)!,
    updatedAt: date(row.updated_at)!,
  };
}
