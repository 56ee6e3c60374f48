import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SessionSettings } from '../access/activity-settings';
import { ActivityState } from './activity-progress.entity';

export interface TodoCourseRow {
  id: string;
  title: string;
  status: 'published' | 'closed';
  startsAt: Date;
  endsAt: Date;
  requiredCreditHours: string;
  requiredSessions: number;
  completed: number | null;
  requiredDone: number | null;
  requiredTotal: number | null;
  creditHours: string | null;
  sessionsAttended: number | null;
  sessionsTotal: string | number;
}

export interface TodoWorkRow {
  activityId: string;
  courseId: string;
  courseTitle: string;
  title: string;
  type: string;
  dueAt: Date | null;
  settings: string | SessionSettings;
  state: ActivityState;
}

/**
 * What the learner's home (待办) reads: their enrolments' courses with the stored summaries (frozen results
 * once closed), and the required work not yet done. Two queries whatever the number of courses.
 */
@Injectable()
export class LearnerTodoRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Running courses first (the nearest end first), then closed ones (the latest first). */
  findCourses(userId: string): Promise<TodoCourseRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.title, c.status, c.starts_at AS startsAt, c.ends_at AS endsAt,
              c.required_credit_hours AS requiredCreditHours, c.required_sessions AS requiredSessions,
              IF(c.status = 'closed', cr.completed, cp.completed) AS completed,
              IF(c.status = 'closed', cr.required_done, cp.required_done) AS requiredDone,
              IF(c.status = 'closed', cr.required_total, cp.required_total) AS requiredTotal,
              IF(c.status = 'closed', cr.credit_hours, cp.credit_hours) AS creditHours,
              IF(c.status = 'closed', cr.sessions_attended, cp.sessions_attended) AS sessionsAttended,
              (SELECT COUNT(*) FROM activities s WHERE s.course_id = c.id AND s.type = 'session' AND s.archived_at IS NULL) AS sessionsTotal
         FROM enrollments e
         JOIN courses c ON c.id = e.course_id AND c.status IN ('published', 'closed')
         LEFT JOIN course_progress cp ON cp.course_id = e.course_id AND cp.user_id = e.user_id
         LEFT JOIN course_results cr ON cr.course_id = e.course_id AND cr.user_id = e.user_id
        WHERE e.user_id = ? AND e.status = 'active'
        ORDER BY c.status = 'closed', IF(c.status = 'closed', -UNIX_TIMESTAMP(c.ends_at), UNIX_TIMESTAMP(c.ends_at)), c.id`,
      [userId],
    );
  }

  /**
   * Required work not yet done in running courses: dated work due before `dueBefore`, and every session
   * (the caller filters those by their own times, kept in their settings).
   */
  findOpenRequiredWork(userId: string, dueBefore: Date): Promise<TodoWorkRow[]> {
    return this.dataSource.query(
      `SELECT a.id AS activityId, a.course_id AS courseId, c.title AS courseTitle, a.title, a.type, a.due_at AS dueAt, a.settings,
              COALESCE(ap.state, 'not_started') AS state
         FROM enrollments e
         JOIN courses c ON c.id = e.course_id AND c.status = 'published'
         JOIN activities a ON a.course_id = e.course_id AND a.archived_at IS NULL AND a.required = 1
         LEFT JOIN activity_progress ap ON ap.activity_id = a.id AND ap.user_id = e.user_id
        WHERE e.user_id = ? AND e.status = 'active'
          AND COALESCE(ap.state, 'not_started') <> 'completed'
          AND (a.type = 'session' OR (a.due_at IS NOT NULL AND a.due_at < ?))`,
      [userId, dueBefore],
    );
  }
}
