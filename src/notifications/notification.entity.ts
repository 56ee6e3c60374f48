import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, RefColumn } from '../database/columns';
import { User } from '../users/user.entity';

/** An in-app notification (站内通知). `dedupeKey` makes the same event notify once, however often it is sent. */
@Entity('notifications')
@Index('idx_notifications_user_read', ['userId', 'readAt'])
@Index('uq_notifications_dedupe', ['dedupeKey'], { unique: true })
export class Notification {
  @IdColumn()
  id: string;

  @RefColumn('user_id', { references: () => User, onDelete: 'CASCADE' })
  userId: string;

  /** What happened, for clients that show icons or filter: reflection.returned, reflection.approved… */
  @Column({ type: 'varchar', length: 50 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  /** Where the web app should take the reader (a path such as /courses/1/activities/2). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  link: string | null;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 190, nullable: true })
  dedupeKey: string | null;

  @Column({ name: 'read_at', type: 'datetime', precision: 3, nullable: true })
  readAt: Date | null;

  @CreatedAt()
  createdAt: Date;
}
