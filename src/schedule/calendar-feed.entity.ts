import { Column, Entity } from 'typeorm';
import { CreatedAt, RefColumn } from '../database/columns';

/** A learner's secret calendar-subscription token (stored as a SHA-256 digest); revoking deletes it. */
@Entity('calendar_feeds')
export class CalendarFeed {
  @RefColumn('user_id', { primary: true })
  userId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @CreatedAt()
  createdAt: Date;
}
