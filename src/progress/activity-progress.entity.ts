import { Column, Entity, Index } from 'typeorm';
import { User } from '../users/user.entity';
import { Activity } from '../courses/activity.entity';
import { IdColumn, RefColumn, UpdatedAt } from '../database/columns';

export const ACTIVITY_STATES = ['not_started', 'in_progress', 'completed'] as const;
export type ActivityState = (typeof ACTIVITY_STATES)[number];

/** One learner's state in one activity, written only by the progress engine. */
@Entity('activity_progress')
@Index('uq_activity_progress', ['activityId', 'userId'], { unique: true })
@Index('idx_activity_progress_course_user', ['courseId', 'userId'])
// A learner's completed activities read from the index alone (the overdue learners' probe of the completion
// report): the state from the table would cost one page per state once the table outgrows the buffer pool.
@Index('idx_activity_progress_user_state', ['userId', 'state', 'activityId'])
export class ActivityProgress {
  @IdColumn()
  id: string;

  @RefColumn('course_id')
  courseId: string;

  @RefColumn('activity_id', { references: () => Activity })
  activityId: string;

  @RefColumn('user_id', { references: () => User })
  userId: string;

  @Column({ type: 'enum', enum: ACTIVITY_STATES, default: 'not_started' })
  state: ActivityState;

  /** 0–100, how far along (video percent watched, posts made of those required...). */
  @Column({ type: 'tinyint', unsigned: true, default: 0 })
  percent: number;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;

  /** 补学: completed after the activity's due date, inside the course's make-up window (completedAt says when). */
  @Column({ name: 'made_up', type: 'boolean', default: false })
  madeUp: boolean;

  @Column({ name: 'last_event_at', type: 'datetime', precision: 3, nullable: true })
  lastEventAt: Date | null;

  /** Bumped each time a completion is withdrawn (e.g. attendance corrected), so ledger keys stay unique. */
  @Column({ name: 'completion_round', type: 'int', unsigned: true, default: 0 })
  completionRound: number;

  @UpdatedAt()
  updatedAt: Date;
}
