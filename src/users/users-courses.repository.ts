import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Role } from '../common/roles';
import { User } from './user.entity';

/** The users table as the courses module (and its schedule and content import) asks it. */
@Injectable()
export class UsersCoursesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // for courses
  /** Which of these people are active instructors. */
  async activeInstructorIds(userIds: string[], manager?: EntityManager): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = await (manager ?? this.dataSource.manager).find(User, { where: { id: In(userIds), role: 'instructor', active: true }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  /** Names of a page's people, by id, in name order: one query per page. */
  async labelsByIds(userIds: string[]): Promise<Map<string, { id: string; name: string }>> {
    if (!userIds.length) return new Map();
    const rows = await this.dataSource.manager.find(User, { where: { id: In([...new Set(userIds)]) }, select: { id: true, name: true }, order: { name: 'ASC' } });
    return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name }]));
  }

  /** Instructors by username (content files name them so). */
  async instructorsByUsername(usernames: string[], manager?: EntityManager): Promise<{ id: string; username: string }[]> {
    if (!usernames.length) return [];
    return (manager ?? this.dataSource.manager).find(User, { where: { username: In(usernames), role: 'instructor' }, select: { id: true, username: true } });
  }

  // for schedule
  /** An active person's role, or null when they are unknown or deactivated. */
  async activeRole(userId: string): Promise<Role | null> {
    const row = await this.dataSource.manager.findOne(User, { where: { id: userId, active: true }, select: { id: true, role: true } });
    return row?.role ?? null;
  }
}
