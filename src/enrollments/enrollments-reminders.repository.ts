import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What reminders ask of the enrolments table. */
@Injectable()
export class EnrollmentsRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for reminders

  /** The course's active learners (`user_id`), as a subquery. */
  activeLearnerIds(courseId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT e.user_id FROM enrollments e WHERE e.course_id = ? AND e.status = 'active'`, params: [courseId] };
  }

  /** The person's enrolment status in the course, or null when never enrolled. */
  async statusOf(courseId: string, userId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT status FROM enrollments WHERE course_id = ? AND user_id = ?`, [courseId, userId]);
    return row ? String(row.status) : null;
  }
}
