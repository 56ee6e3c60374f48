import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Page, PaginationQuery } from '../common/pagination';
import { Notification } from './notification.entity';

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** The same key twice notifies once (a retried job, a repeated review). */
  dedupeKey?: string | null;
}

/** In-app notifications: written by any feature, read by their recipient. Owner of the `notifications` table. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns how many were new (duplicates by dedupeKey are skipped). */
  async notify(items: NewNotification[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (!items.length) return 0;
    const result = await manager.query(
      `INSERT IGNORE INTO notifications (user_id, kind, title, body, link, dedupe_key) VALUES ${items.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      items.flatMap((n) => [n.userId, n.kind, n.title.slice(0, 200), n.body, n.link ?? null, n.dedupeKey ?? null]),
    );
    return result.affectedRows as number;
  }

  async list(userId: string, query: PaginationQuery & { unread?: string }): Promise<Page<Notification> & { unread: number }> {
    const repo = this.dataSource.getRepository(Notification);
    const where = query.unread === 'true' ? { userId, readAt: IsNull() } : { userId };
    const [items, total] = await repo.findAndCount({ where, order: { id: 'DESC' }, skip: query.skip, take: query.pageSize });
    const unread = await repo.countBy({ userId, readAt: IsNull() });
    return { items, total, page: query.page, pageSize: query.pageSize, unread };
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    const repo = this.dataSource.getRepository(Notification);
    const notification = await repo.findOneBy({ id, userId });
    if (!notification) throw new NotFoundException({ message: '通知不存在', code: 'NOTIFICATION_NOT_FOUND' });
    if (!notification.readAt) await repo.update({ id }, { readAt: new Date() });
    return repo.findOneByOrFail({ id });
  }

  async markAllRead(userId: string): Promise<{ updated: number }> {
    const result = await this.dataSource.getRepository(Notification).update({ userId, readAt: IsNull() }, { readAt: new Date() });
    return { updated: result.affected ?? 0 };
  }
}
