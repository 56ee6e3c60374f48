import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReminderJob, ReminderKind } from '../jobs/reminder-job';
import type { DeliveryStatus } from './reminder-delivery.entity';

type Subquery = { sql: string; params: unknown[] };

/** People chosen by subqueries of their owners: those `among` selects (`user_id`), in every `within` and no `without` (ids). */
export interface PeopleSelection {
  among: Subquery;
  within?: Subquery[];
  without?: Subquery[];
}

/** Outside BullMQ (no job lock to go by), a `sending` claim this old is taken to be a dead worker's. */
const STALE_CLAIM_MINUTES = 10;

export interface DeliveryRow {
  id: string;
  kind: ReminderKind;
  status: DeliveryStatus;
  userId: string;
  email: string | null;
  courseId: string;
  subjectId: string;
  period: string;
  mailAttempts: number;
  lastError: string | null;
  sentAt: Date | null;
  updatedAt: Date;
}

/** The reminder_deliveries table: one row per dedupe key, from queued to sent (or skipped, or failed). */
@Injectable()
export class ReminderDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The people selected who have no delivery under this key prefix yet: one set-based query, however many people. */
  async findUndelivered(prefix: string, { among, within = [], without = [] }: PeopleSelection): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      `SELECT s.user_id FROM (${among.sql}) s LEFT JOIN reminder_deliveries d ON d.dedupe_key = CONCAT(?, s.user_id)
        WHERE d.id IS NULL${within.map((q) => ` AND s.user_id IN (${q.sql})`).join('')}${without.map((q) => ` AND s.user_id NOT IN (${q.sql})`).join('')}`,
      [...among.params, prefix, ...within.flatMap((q) => q.params), ...without.flatMap((q) => q.params)],
    );
    return rows.map((r) => String(r.user_id));
  }

  /** Which of these dedupe keys are already recorded (queued, sent, skipped, anything): those are never sent again. */
  async knownKeys(keys: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < keys.length; i += 1000) {
      const rows: { dedupe_key: string }[] = await this.dataSource.query(`SELECT dedupe_key FROM reminder_deliveries WHERE dedupe_key IN (?)`, [keys.slice(i, i + 1000)]);
      for (const r of rows) known.add(r.dedupe_key);
    }
    return known;
  }

  /** Records the keys of queued jobs (one statement; keys already recorded are left as they are). */
  async recordQueued(jobs: ReminderJob[]): Promise<void> {
    await this.dataSource.query(
      `INSERT IGNORE INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status) VALUES ${jobs.map(() => `(?, ?, ?, ?, ?, ?, 'queued')`).join(', ')}`,
      jobs.flatMap((j) => [j.key, j.kind, j.userId, j.courseId, j.subjectId, j.period]),
    );
  }

  /** Records a key whose job runs before the fan-out recorded it (or never did). */
  async recordPending(job: ReminderJob): Promise<void> {
    await this.dataSource.query(
      `INSERT IGNORE INTO reminder_deliveries (dedupe_key, kind, user_id, course_id, subject_id, period, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
      [job.key, job.kind, job.userId, job.courseId, job.subjectId, job.period],
    );
  }

  /**
   * Claims the delivery for one processing: one still to send, or one left `sending` by another processing —
   * at once when `tokenKnown` (BullMQ's lock token says the other lost the job), else once the claim is stale.
   * False when someone else holds or finished it.
   */
  async claim(key: string, claim: string, tokenKnown: boolean): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE reminder_deliveries SET status = 'sending', claim_token = ?, claimed_at = NOW(3)
        WHERE dedupe_key = ? AND (status IN ('pending', 'queued', 'retrying')
           OR (status = 'sending' AND NOT (claim_token <=> ?) AND (? OR claimed_at < NOW(3) - INTERVAL ${STALE_CLAIM_MINUTES} MINUTE)))`,
      [claim, key, claim, tokenKnown],
    );
    return result.affectedRows === 1;
  }

  async markSent(key: string, email: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminder_deliveries SET status = 'sent', email = ?, mail_attempts = mail_attempts + 1, last_error = NULL, sent_at = NOW(3) WHERE dedupe_key = ?`,
      [email, key],
    );
  }

  async finish(key: string, status: 'skipped' | 'in_app_only'): Promise<void> {
    await this.dataSource.query(`UPDATE reminder_deliveries SET status = ?, sent_at = NOW(3) WHERE dedupe_key = ?`, [status, key]);
  }

  /**
   * Retrying (or failed after the last attempt), on the delivery this attempt holds or one nobody holds yet
   * (a failure before the claim); never over another attempt's claim or a finished delivery.
   */
  async recordFailure(key: string, claim: string, failure: { final: boolean; mailed: boolean; message: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminder_deliveries SET status = ?, mail_attempts = mail_attempts + ?, last_error = ?
        WHERE dedupe_key = ? AND ((status = 'sending' AND claim_token = ?) OR status IN ('pending', 'queued', 'retrying'))`,
      [failure.final ? 'failed' : 'retrying', failure.mailed ? 1 : 0, failure.message, key, claim],
    );
  }

  /** Deliveries by status, of the people `of` selects (ids) or everyone's. */
  async countByStatus(of: Subquery | null): Promise<Array<{ status: DeliveryStatus; count: number }>> {
    const rows: Array<{ status: DeliveryStatus; n: string }> = await this.dataSource.query(
      `SELECT d.status, COUNT(*) AS n FROM reminder_deliveries d ${of ? `WHERE d.user_id IN (${of.sql})` : ''} GROUP BY d.status`,
      of?.params ?? [],
    );
    return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
  }

  /** Failed deliveries counted by their last error. */
  async countFailedByError(of: Subquery | null): Promise<Array<{ lastError: string | null; count: number }>> {
    const rows: Array<{ last_error: string | null; n: string }> = await this.dataSource.query(
      `SELECT d.last_error, COUNT(*) AS n FROM reminder_deliveries d WHERE d.status = 'failed' ${of ? `AND d.user_id IN (${of.sql})` : ''} GROUP BY d.last_error`,
      of?.params ?? [],
    );
    return rows.map((r) => ({ lastError: r.last_error, count: Number(r.n) }));
  }

  /** A page of deliveries, latest change first, and how many match. */
  async findPage(filter: { status: DeliveryStatus; kind?: ReminderKind; of: Subquery | null }, page: { limit: number; offset: number }): Promise<[DeliveryRow[], number]> {
    const where = ['d.status = ?'];
    const params: unknown[] = [filter.status];
    if (filter.kind) {
      where.push('d.kind = ?');
      params.push(filter.kind);
    }
    if (filter.of) {
      where.push(`d.user_id IN (${filter.of.sql})`);
      params.push(...filter.of.params);
    }
    const from = `FROM reminder_deliveries d WHERE ${where.join(' AND ')}`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT d.id, d.kind, d.status, d.user_id, d.email, d.course_id, d.subject_id, d.period, d.mail_attempts, d.last_error, d.sent_at, d.updated_at
       ${from} ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?`,
      [...params, page.limit, page.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from}`, params);
    return [
      rows.map((r) => ({
        id: String(r.id),
        kind: r.kind as ReminderKind,
        status: r.status as DeliveryStatus,
        userId: String(r.user_id),
        email: (r.email as string | null) ?? null,
        courseId: String(r.course_id),
        subjectId: String(r.subject_id),
        period: String(r.period),
        mailAttempts: Number(r.mail_attempts),
        lastError: (r.last_error as string | null) ?? null,
        sentAt: (r.sent_at as Date | null) ?? null,
        updatedAt: r.updated_at as Date,
      })),
      Number(total),
    ];
  }
}
