import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SummaryFigures {
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  completed: boolean;
}

/** The course_progress table as the enrollments module's list asks it. */
@Injectable()
export class ProgressEnrollmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for enrollments
  /** A page's learners' summary figures in one course, by user id (absent: no summary yet). */
  async figuresOf(courseId: string, userIds: string[]): Promise<Map<string, SummaryFigures>> {
    if (!userIds.length) return new Map();
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT user_id AS userId, required_done AS requiredDone, required_total AS requiredTotal, credit_hours AS creditHours, completed
         FROM course_progress WHERE course_id = ? AND user_id IN (?)`,
      [courseId, userIds],
    );
    return new Map(
      rows.map((r) => [
        String(r.userId),
        { requiredDone: Number(r.requiredDone), requiredTotal: Number(r.requiredTotal), creditHours: Number(r.creditHours), completed: Boolean(r.completed) },
      ]),
    );
  }
}
