import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn, UpdatedAt } from '../database/columns';

export const BATCH_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

/** One compile run for a course: its job and the progress (done/total) the admin page polls. */
@Entity('certificate_batches')
@Index('uq_certificate_batches_job', ['jobId'], { unique: true })
@Index('idx_certificate_batches_course', ['courseId'])
export class CertificateBatch {
  @IdColumn()
  id: string;

  @RefColumn('course_id')
  courseId: string;

  @Column({ name: 'job_id', type: 'varchar', length: 120, nullable: true })
  jobId: string | null;

  /** `close`: started by the course closing; `admin`: started from the API. */
  @Column({ type: 'enum', enum: ['close', 'admin'] })
  origin: 'close' | 'admin';

  /** The department compiled before the course closed, from live progress instead of the frozen snapshot. */
  @Column({ type: 'boolean', default: false })
  forced: boolean;

  @Column({ type: 'enum', enum: BATCH_STATES, default: 'queued' })
  state: BatchState;

  /** Learners who completed (and so hold or will hold a certificate). */
  @Column({ type: 'int', unsigned: true, default: 0 })
  total: number;

  /** Of those, how many hold a certificate with its PDF. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  done: number;

  /** Certificates this run issued (0 on a rerun). */
  @Column({ type: 'int', unsigned: true, default: 0 })
  issued: number;

  /**
   * The course's last serial once this run has issued everyone it will: until then (null) the render jobs,
   * which start while issuing goes on, never mark the batch done.
   */
  @Column({ name: 'issued_up_to', type: 'int', unsigned: true, nullable: true })
  issuedUpTo: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @RefColumn('requested_by', { nullable: true })
  requestedBy: string | null;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}
