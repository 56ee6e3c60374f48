import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VideoCheckpointAnswer } from './video-checkpoint-answer.entity';
import { VideoProgress } from './video-progress.entity';

export interface WatchStateRow {
  activityId: string;
  userId: string;
  courseId: string;
  intervals: string;
  watchedSeconds: number;
  positionSeconds: number;
}

/** What the flush job keeps of each learner's watching (video_progress) and their right checkpoint answers. */
@Injectable()
export class VideoProgressRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findState(activityId: string, userId: string): Promise<VideoProgress | null> {
    return this.dataSource.getRepository(VideoProgress).findOneBy({ activityId, userId });
  }

  /** Writes whole states, not deltas, in one statement: a retried or doubled flush changes nothing. */
  async saveStates(manager: EntityManager, rows: WatchStateRow[]): Promise<void> {
    await manager.query(
      `INSERT INTO video_progress (activity_id, user_id, course_id, intervals, watched_seconds, position_seconds)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE intervals = VALUES(intervals), watched_seconds = VALUES(watched_seconds),
                               position_seconds = VALUES(position_seconds), updated_at = CURRENT_TIMESTAMP(3)`,
      rows.flatMap((r) => [r.activityId, r.userId, r.courseId, r.intervals, r.watchedSeconds, r.positionSeconds]),
    );
  }

  /** Keeps a right checkpoint answer (answering twice keeps one). */
  async saveAnswer(activityId: string, userId: string, checkpointIndex: number): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(VideoCheckpointAnswer).values({ activityId, userId, checkpointIndex }).orIgnore().execute();
  }

  /** The checkpoints the learner has answered right. */
  async findAnsweredIndexes(activityId: string, userId: string): Promise<number[]> {
    const rows = await this.dataSource.getRepository(VideoCheckpointAnswer).find({ where: { activityId, userId }, select: { checkpointIndex: true } });
    return rows.map((row) => row.checkpointIndex);
  }
}
