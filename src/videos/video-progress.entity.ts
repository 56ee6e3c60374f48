import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { UpdatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';
import { User } from '../users/user.entity';

/**
 * The durable copy of what a learner has watched of a video: the union of watched intervals. Reports land in
 * Redis first (the hot path); the worker's flush job writes them here in batches.
 */
@Entity('video_progress')
@Index('idx_video_progress_course', ['courseId'])
export class VideoProgress {
  @PrimaryColumn({ name: 'activity_id', type: 'bigint', unsigned: true })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'activity_id' })
  activity?: Activity;

  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'course_id', type: 'bigint', unsigned: true })
  courseId: string;

  /** Sorted, disjoint [from, to] pairs in whole seconds, as JSON text (a day-long video fits easily). */
  @Column({ type: 'mediumtext' })
  intervals: string;

  @Column({ name: 'watched_seconds', type: 'decimal', precision: 10, scale: 1, transformer: decimalNumber })
  watchedSeconds: number;

  /** Where the learner stopped: playback resumes here. */
  @Column({ name: 'position_seconds', type: 'decimal', precision: 10, scale: 1, transformer: decimalNumber })
  positionSeconds: number;

  @UpdatedAt()
  updatedAt: Date;
}
