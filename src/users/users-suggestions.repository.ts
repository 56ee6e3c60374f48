import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What suggestions ask of the users table. */
@Injectable()
export class UsersSuggestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for suggestions

  /** The names of these people, in one query. */
  async namesByIds(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM users WHERE id IN (?)`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [String(r.id), r.name]));
  }
}
