import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CourseRow } from '../access/course-rows';
import type { ActivityState } from './activity-progress.entity';

/** What the standing of an activity depends on in its course. */
export type StandingCourse = Pick<CourseRow, 'status' | 'endsAt' | 'graceDays' | 'makeUpPolicy' | 'makeUpUntil' | 'closedAt'>;

/** One live activity of a course with the learner's state in it and, for a session, their attendance. */
export interface RecordActivityRow {
  courseId: string;
  id: string;
  section: string;
  type: string;
  title: string;
  required: boolean;
  creditHours: number;
  dueAt: Date | null;
  opensAt: Date | null;
  state: ActivityState;
  percent: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
  madeUp: number | null;
  sessionEndsAt: string | null;
  attendance: string | null;
}

/** What the learner's own views (progress in a course, the learning record) read across the course tables. */
@Injectable()
export class LearningRecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Enrolled (or withdrawn) in a course past draft. */
  async existsEnrolment(courseId: string, userId: string): Promise<boolean> {
    const [enrolled] = await this.dataSource.query(
      `SELECT 1 FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.course_id = ? AND e.user_id = ? AND c.status <> 'draft'`,
      [courseId, userId],
    );
    return Boolean(enrolled);
  }

  findStandingCourses(courseIds: string[]): Promise<(StandingCourse & { id: string })[]> {
    return this.dataSource.query(
      `SELECT id, status, ends_at AS endsAt, grace_days AS graceDays, make_up_policy AS makeUpPolicy, make_up_until AS makeUpUntil, closed_at AS closedAt
         FROM courses WHERE id IN (?)`,
      [courseIds],
    );
  }

  /** Every live activity of these courses with the learner's state and attendance, in plan order. */
  findActivityRows(userId: string, courseIds: string[]): Promise<RecordActivityRow[]> {
    return this.dataSource.query(
      `SELECT a.course_id AS courseId, a.id, s.title AS section, a.type, a.title, a.required, a.credit_hours AS creditHours, a.due_at AS dueAt,
              a.opens_at AS opensAt, COALESCE(ap.state, 'not_started') AS state, ap.percent, ap.started_at AS startedAt,
              ap.completed_at AS completedAt, ap.made_up AS madeUp,
              JSON_UNQUOTE(JSON_EXTRACT(a.settings, '$.endsAt')) AS sessionEndsAt, att.status AS attendance
         FROM activities a JOIN sections s ON s.id = a.section_id
         LEFT JOIN activity_progress ap ON ap.activity_id = a.id AND ap.user_id = ?
         LEFT JOIN attendance att ON att.activity_id = a.id AND att.user_id = ? AND a.type = 'session'
        WHERE a.course_id IN (?) AND a.archived_at IS NULL
        ORDER BY s.position, s.id, a.position, a.id`,
      [userId, userId, courseIds],
    );
  }

  async findUser(userId: string): Promise<{ id: string; username: string; name: string }> {
    const [user] = await this.dataSource.query(`SELECT id, username, name FROM users WHERE id = ?`, [userId]);
    return user;
  }

  /** The learner's enrolments in courses past draft, the latest course first. */
  findEnrolments(userId: string): Promise<{ courseId: string; title: string; status: string; startsAt: Date; endsAt: Date; enrollmentStatus: string; enrolledAt: Date; withdrawnAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT c.id AS courseId, c.title, c.status, c.starts_at AS startsAt, c.ends_at AS endsAt,
                e.status AS enrollmentStatus, e.enrolled_at AS enrolledAt, e.withdrawn_at AS withdrawnAt
           FROM enrollments e JOIN courses c ON c.id = e.course_id
          WHERE e.user_id = ? AND c.status <> 'draft' ORDER BY c.starts_at DESC, c.id DESC`,
      [userId],
    );
  }
}
