import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Page, PaginationQuery } from '../common/pagination';
import { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** The same key twice notifies once (a retried job, a repeated review). */
  dedupeKey?: string | null;
}

const TITLE_LENGTH = 200;

/** In-app notifications: written by any feature, read by their recipient. Owner of the `notifications` table. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  /** Returns how many were new (duplicates by dedupeKey are skipped). Pass `manager` to notify inside a transaction. */
  async notify(items: NewNotification[], manager?: EntityManager): Promise<number> {
    if (!items.length) return 0;
    return this.notifications.insertNew(
      items.map((n) => ({ userId: n.userId, kind: n.kind, title: n.title.slice(0, TITLE_LENGTH), body: n.body, link: n.link ?? null, dedupeKey: n.dedupeKey ?? null })),
      manager,
    );
  }

  async list(userId: string, query: PaginationQuery & { unread?: string }): Promise<Page<Notification> & { unread: number }> {
    const [items, total] = await this.notifications.findPageForUser(userId, query.unread === 'true', { skip: query.skip, take: query.pageSize });
    const unread = await this.notifications.countUnread(userId);
    return { items, total, page: query.page, pageSize: query.pageSize, unread };
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    const notification = await this.notifications.findOneForUser(id, userId);
    if (!notification) throw new NotFoundException({ message: '通知不存在', code: 'NOTIFICATION_NOT_FOUND' });
    return this.notifications.markRead(id);
  }

  async markAllRead(userId: string): Promise<{ updated: number }> {
    return { updated: await this.notifications.markAllRead(userId) };
  }
}
