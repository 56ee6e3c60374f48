import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Notification } from './notification.entity';

export interface NewNotificationRow {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupeKey: string | null;
}

/** The `notifications` table. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts in one statement, skipping rows whose dedupe key exists; returns how many were new. */
  async insertNew(rows: NewNotificationRow[], manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.dataSource.manager).query(
      `INSERT IGNORE INTO notifications (user_id, kind, title, body, link, dedupe_key) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((n) => [n.userId, n.kind, n.title, n.body, n.link, n.dedupeKey]),
    );
    return result.affectedRows as number;
  }

  /** A page of a person's notifications, newest first, and how many match. */
  findPageForUser(userId: string, unreadOnly: boolean, page: { skip: number; take: number }): Promise<[Notification[], number]> {
    const where = unreadOnly ? { userId, readAt: IsNull() } : { userId };
    return this.repository().findAndCount({ where, order: { id: 'DESC' }, skip: page.skip, take: page.take });
  }

  countUnread(userId: string): Promise<number> {
    return this.repository().countBy({ userId, readAt: IsNull() });
  }

  findOneForUser(id: string, userId: string): Promise<Notification | null> {
    return this.repository().findOneBy({ id, userId });
  }

  /** Marks one read (an already read one keeps its first time); the row as it now is. */
  async markRead(id: string): Promise<Notification> {
    await this.repository().update({ id, readAt: IsNull() }, { readAt: new Date() });
    return this.repository().findOneByOrFail({ id });
  }

  /** Returns how many were unread. */
  async markAllRead(userId: string): Promise<number> {
    const result = await this.repository().update({ userId, readAt: IsNull() }, { readAt: new Date() });
    return result.affected ?? 0;
  }

  private repository() {
    return this.dataSource.getRepository(Notification);
  }
}
