import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';
import { REMINDER_KINDS, type ReminderKind } from '../jobs/reminder-job';
import { User } from '../users/user.entity';

/**
 * queued: a fan-out put its job in the queue; pending: a send job found no record and made one; sending: a worker holds it; sent: in-app and mail delivered;
 * in_app_only: the user has no email; skipped: no longer due at send time (finished, withdrawn, opted out);
 * retrying: the mail failed and BullMQ will try again; failed: every attempt failed (shown to admins).
 */
export const DELIVERY_STATUSES = ['pending', 'queued', 'sending', 'sent', 'in_app_only', 'skipped', 'retrying', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One reminder to one person: its dedupe key (kind, subject, period, recipient) is unique, so a rerun scan or a
 * retried job never sends it twice, and the fan-out skips keys already recorded.
 */
@Entity('reminder_deliveries')
@Index('uq_reminder_deliveries_key', ['dedupeKey'], { unique: true })
@Index('idx_reminder_deliveries_status', ['status', 'updatedAt'])
@Index('idx_reminder_deliveries_course', ['courseId', 'status'])
export class ReminderDelivery {
  @IdColumn()
  id: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 190 })
  dedupeKey: string;

  @Column({ type: 'enum', enum: REMINDER_KINDS })
  kind: ReminderKind;

  @RefColumn('user_id', { references: () => User, onDelete: 'CASCADE' })
  userId: string;

  @RefColumn('course_id')
  courseId: string;

  /** The activity (due-soon, overdue, session-tomorrow) or the course (digest, summary). */
  @RefColumn('subject_id')
  subjectId: string;

  /** The period the reminder belongs to: the due time, the session's day or the ISO week (China time). */
  @Column({ type: 'varchar', length: 20 })
  period: string;

  @Column({ type: 'enum', enum: DELIVERY_STATUSES, default: 'pending' })
  status: DeliveryStatus;

  /** The address the mail went (or was meant) to. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ name: 'mail_attempts', type: 'int', unsigned: true, default: 0 })
  mailAttempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** The send job processing (BullMQ lock token) that holds a `sending` delivery; a later processing of the same job takes it over. */
  @Column({ name: 'claim_token', type: 'varchar', length: 100, nullable: true })
  claimToken: string | null;

  @Column({ name: 'claimed_at', type: 'datetime', precision: 3, nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
