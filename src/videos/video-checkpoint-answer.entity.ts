import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Activity } from '../courses/activity.entity';
import { User } from '../users/user.entity';

/**
 * A checkpoint question a learner has answered right: watching past it counts from then on. Kept in Redis
 * for the hot path and written here at once (answers are rare), so a lost Redis key does not ask again.
 */
@Entity('video_checkpoint_answers')
export class VideoCheckpointAnswer {
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

  /** The checkpoint's position in the lesson's `checkpoints` list. */
  @PrimaryColumn({ name: 'checkpoint_index', type: 'smallint', unsigned: true })
  checkpointIndex: number;

  @CreateDateColumn({ name: 'answered_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  answeredAt: Date;
}
