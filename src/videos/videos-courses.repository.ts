import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The video_files table, as the courses module's plan check asks it (through VideoPlanValidator). */
@Injectable()
export class VideosCoursesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for courses
  /** Which of these video lessons have their file uploaded. */
  async activityIdsWithFile(activityIds: string[]): Promise<Set<string>> {
    if (!activityIds.length) return new Set();
    const rows: { activityId: string }[] = await this.dataSource.query(`SELECT activity_id AS activityId FROM video_files WHERE activity_id IN (?)`, [activityIds]);
    return new Set(rows.map((row) => String(row.activityId)));
  }
}
