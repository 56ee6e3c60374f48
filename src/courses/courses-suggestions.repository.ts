import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What suggestions ask of the courses table. */
@Injectable()
export class CoursesSuggestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for suggestions

  /** The titles of these courses, in one query. */
  async titlesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; title: string }> = await this.dataSource.query(`SELECT id, title FROM courses WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((c) => [String(c.id), c.title]));
  }
}
