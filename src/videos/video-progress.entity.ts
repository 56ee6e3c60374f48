import { Column, Entity, Index } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { RefColumn, UpdatedAt } from '../database/columns';
import { decimalNumber } from '../database/transformers';
import { User } from '../users/user.entity';

/**
 * The durable copy of what a learner has watched of a video: the union of watched intervals. Reports land in
 * Redis first (the hot path); the worker's flush job writes them here in batches.
 */
@Entity('video_progress')
@Index('idx_video_progress_course', ['courseId'])
export class VideoProgress {
  @RefColumn('activity_id', { primary: true, references: () => Activity, onDelete: 'CASCADE' })
  activityId: string;

  @RefColumn('user_id', { primary: true, references: () => User })
  userId: string;

  @RefColumn('course_id')
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
