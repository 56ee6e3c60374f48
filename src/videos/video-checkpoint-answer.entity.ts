import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { RefColumn } from '../database/columns';
import { Activity } from '../courses/activity.entity';
import { User } from '../users/user.entity';

/**
 * A checkpoint question a learner has answered right: watching past it counts from then on. Kept in Redis
 * for the hot path and written here at once (answers are rare), so a lost Redis key does not ask again.
 */
@Entity('video_checkpoint_answers')
export class VideoCheckpointAnswer {
  @RefColumn('activity_id', { primary: true, references: () => Activity, onDelete: 'CASCADE' })
  activityId: string;

  @RefColumn('user_id', { primary: true, references: () => User })
  userId: string;

  /** The checkpoint's position in the lesson's `checkpoints` list. */
  @PrimaryColumn({ name: 'checkpoint_index', type: 'smallint', unsigned: true })
  checkpointIndex: number;

  @CreateDateColumn({ name: 'answered_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  answeredAt: Date;
}
