import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CalendarFeed } from './calendar-feed.entity';

/** The calendar_feeds table: one secret subscription token (as its digest) per person. */
@Injectable()
export class CalendarFeedsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the person's feed or replaces its token (which revokes the old URL). */
  async upsert(userId: string, tokenHash: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_feeds (user_id, token_hash) VALUES (?, ?) ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), created_at = CURRENT_TIMESTAMP(3)`,
      [userId, tokenHash],
    );
  }

  async delete(userId: string): Promise<void> {
    await this.dataSource.getRepository(CalendarFeed).delete({ userId });
  }

  findByTokenHash(tokenHash: string): Promise<CalendarFeed | null> {
    return this.dataSource.getRepository(CalendarFeed).findOneBy({ tokenHash });
  }
}
