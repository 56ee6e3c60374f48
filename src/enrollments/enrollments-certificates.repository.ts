import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What certificates ask of the enrolments table. */
@Injectable()
export class EnrollmentsCertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for certificates

  /** The ids of a course's active learners, as a subquery. */
  activeLearnerIds(courseId: string): { sql: string; params: unknown[] } {
    return { sql: `SELECT e.user_id FROM enrollments e WHERE e.course_id = ? AND e.status = 'active'`, params: [courseId] };
  }

  async countActive(courseId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM enrollments WHERE course_id = ? AND status = 'active'`, [courseId]);
    return Number(n);
  }
}
