import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { VideoSettings } from '../access/activity-settings';
import { ActivitiesRepository } from '../courses/activities.repository';
import { Transactions } from '../database/transactions';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { ProgressService } from '../progress/progress.service';
import { REDIS } from '../redis/redis';
import { DIRTY_KEY, watchedSeconds, watchKey } from './video-watch.service';
import { VideoFilesRepository } from './video-files.repository';
import { VideoProgressRepository } from './video-progress.repository';
import { UNDIRTY_SCRIPT } from './watch-script';

const BATCH = 500;

type FlushRedis = Redis & { undirty(key: string, ...args: (string | number)[]): Promise<number> };

/**
 * Writes watched intervals from Redis to MySQL in batches (the `video.flush` job, every few seconds).
 * It writes each learner's whole state, not a delta, so a retried or doubled flush changes nothing; a
 * member leaves the dirty set only if no newer report arrived while it was being written.
 */
@Injectable()
export class VideoFlushService {
  private readonly logger = new Logger(VideoFlushService.name);
  private readonly redis: FlushRedis;

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly watchStates: VideoProgressRepository,
    private readonly files: VideoFilesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly transactions: Transactions,
    private readonly progress: ProgressService,
  ) {
    if (!('undirty' in redis)) redis.defineCommand('undirty', { numberOfKeys: 1, lua: UNDIRTY_SCRIPT });
    this.redis = redis as FlushRedis;
  }

  @JobHandler('video.flush')
  async flushJob(_repeat: JobPayloads['video.flush']): Promise<number> {
    const written = await this.flush();
    if (written) this.logger.log(`flushed ${written} watch states`);
    return written;
  }

  private async write(rows: { activityId: string; userId: string; courseId: string; iv: string; watched: number; position: number; percent: number }[]): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.watchStates.saveStates(
        manager,
        rows.map((r) => ({
          activityId: r.activityId,
          userId: r.userId,
          courseId: r.courseId,
          intervals: r.iv,
          watchedSeconds: Math.round(r.watched * 10) / 10,
          positionSeconds: Math.round(r.position * 10) / 10,
        })),
      );
      await this.progress.recordPercents(manager, rows.map((r) => ({ activityId: r.activityId, userId: r.userId, percent: r.percent })));
    });
  }

  /** Drains the dirty set; returns how many learner-video states were written. */
  async flush(): Promise<number> {
    let written = 0;
    for (;;) {
      const batch = (await this.redis.zrange(DIRTY_KEY, 0, String(BATCH - 1), 'WITHSCORES')) as string[];
      if (batch.length === 0) return written;
      const members: { member: string; score: string; activityId: string; userId: string }[] = [];
      for (let i = 0; i < batch.length; i += 2) {
        const [activityId, userId] = batch[i].split(':');
        members.push({ member: batch[i], score: batch[i + 1], activityId, userId });
      }
      const states = await Promise.all(members.map((m) => this.redis.hmget(watchKey(m.activityId, m.userId), 'iv', 'pos')));
      const activityIds = [...new Set(members.map((m) => m.activityId))];
      const files = await this.files.findDurations(activityIds);
      // The file's measured length, else the one the editor gave, as the watch path counts it.
      const byId = new Map(
        (await this.activities.findByIds(activityIds)).map((a) => [String(a.id), { courseId: a.courseId, duration: files.get(String(a.id)) ?? (a.settings as VideoSettings).durationSeconds }]),
      );
      const rows = members.flatMap((m, i) => {
        const [iv, pos] = states[i];
        const activity = byId.get(m.activityId);
        if (!iv || !activity) return [];
        const duration = Number(activity.duration);
        const intervals = JSON.parse(iv) as [number, number][];
        const watched = watchedSeconds(intervals, duration);
        return [{ ...m, courseId: String(activity.courseId), iv, watched, position: Number(pos ?? 0), percent: Math.floor((watched / duration) * 100) }];
      });
      if (rows.length) {
        try {
          await this.write(rows);
        } catch (error) {
          // One bad state must not hold back everyone else's: write them one by one and leave out the bad one.
          this.logger.warn(`batch write failed (${(error as Error).message}); writing ${rows.length} states one by one`);
          for (const row of rows) {
            await this.write([row]).catch((e: Error) => this.logger.error(`cannot write watch state ${row.member}: ${e.message}`));
          }
        }
      }
      await this.redis.undirty(DIRTY_KEY, ...members.flatMap((m) => [m.member, m.score]));
      written += rows.length;
      if (members.length < BATCH) return written;
    }
  }
}
