import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VideoFile } from './video-file.entity';

export type VideoFileValues = Pick<VideoFile, 'storageKey' | 'mimeType' | 'sizeBytes' | 'durationSeconds' | 'originalName' | 'uploadedBy'>;

/** The uploaded file of each video lesson (one per lesson). */
@Injectable()
export class VideoFilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByActivity(activityId: string, manager?: EntityManager): Promise<VideoFile | null> {
    return (manager ?? this.dataSource.manager).findOneBy(VideoFile, { activityId });
  }

  /** The measured length of the lessons that have a file, by lesson. */
  async findDurations(activityIds: string[]): Promise<Map<string, number>> {
    if (!activityIds.length) return new Map();
    const rows: { activityId: string; duration: string }[] = await this.dataSource.query(
      `SELECT activity_id AS activityId, duration_seconds AS duration FROM video_files WHERE activity_id IN (?)`,
      [activityIds],
    );
    return new Map(rows.map((r) => [String(r.activityId), Number(r.duration)]));
  }

  /** Which of these video lessons have their file uploaded (the courses module's plan check asks). */
  async activityIdsWithFile(activityIds: string[]): Promise<Set<string>> {
    if (!activityIds.length) return new Set();
    const rows: { activityId: string }[] = await this.dataSource.query(`SELECT activity_id AS activityId FROM video_files WHERE activity_id IN (?)`, [activityIds]);
    return new Set(rows.map((row) => String(row.activityId)));
  }

  /** Stores the lesson's file, replacing the one it had (the caller holds the lesson's lock). */
  async save(manager: EntityManager, activityId: string, previous: VideoFile | null, values: VideoFileValues): Promise<VideoFile> {
    if (previous) await manager.update(VideoFile, { id: previous.id }, values);
    else await manager.insert(VideoFile, { activityId, ...values });
    return manager.findOneByOrFail(VideoFile, { activityId });
  }
}
