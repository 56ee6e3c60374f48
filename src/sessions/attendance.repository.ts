import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Attendance, AttendanceStatus } from './attendance.entity';

/** The attendance table: one row per learner and session. */
@Injectable()
export class AttendanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findOne(activityId: string, userId: string): Promise<Attendance | null> {
    return this.dataSource.getRepository(Attendance).findOneBy({ activityId, userId });
  }

  /** The records of these learners in one session, by learner. */
  async findForLearners(activityId: string, userIds: string[]): Promise<Map<string, Attendance>> {
    if (!userIds.length) return new Map();
    const rows = await this.dataSource
      .getRepository(Attendance)
      .createQueryBuilder('a')
      .where('a.activity_id = :activityId AND a.user_id IN (:...userIds)', { activityId, userIds })
      .getMany();
    return new Map(rows.map((row) => [String(row.userId), row]));
  }

  /** One learner's records in these sessions: the status by activity id. */
  async statusesOf(userId: string, activityIds: string[]): Promise<Map<string, AttendanceStatus>> {
    if (!activityIds.length) return new Map();
    const rows: { activityId: string; status: AttendanceStatus }[] = await this.dataSource.query(
      `SELECT activity_id AS activityId, status FROM attendance WHERE user_id = ? AND activity_id IN (?)`,
      [userId, activityIds],
    );
    return new Map(rows.map((row) => [String(row.activityId), row.status]));
  }

  /** How many were marked present, all or those among `within` (a subquery of user ids). */
  async countPresent(activityId: string, within?: { sql: string; params: unknown[] }): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM attendance a WHERE a.activity_id = ? AND a.status = 'present' ${within ? `AND a.user_id IN (${within.sql})` : ''}`,
      [activityId, ...(within?.params ?? [])],
    );
    return Number(row.n);
  }

  /** Writes (or overwrites) one learner's record, inside the caller's transaction with the progress it earns. */
  async record(
    manager: EntityManager,
    row: { activityId: string; courseId: string; userId: string; status: AttendanceStatus; method: 'code' | 'manual'; reason: string | null; recordedBy: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO attendance (activity_id, course_id, user_id, status, method, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3))
       ON DUPLICATE KEY UPDATE status = VALUES(status), method = VALUES(method), reason = VALUES(reason), recorded_by = VALUES(recorded_by), recorded_at = VALUES(recorded_at)`,
      [row.activityId, row.courseId, row.userId, row.status, row.method, row.reason, row.recordedBy],
    );
  }
}
