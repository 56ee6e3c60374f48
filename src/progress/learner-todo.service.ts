import { Injectable } from '@nestjs/common';
import type { SessionSettings } from '../access/activity-settings';
import { ActivityState } from './activity-progress.entity';
import { LearnerTodoRepository } from './learner-todo.repository';

/** Work due within this many China-time calendar days (today included) counts as due soon. */
export const DUE_SOON_DAYS = 7;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface TodoItem {
  activityId: string;
  courseId: string;
  courseTitle: string;
  title: string;
  type: string;
  /** The deadline; for an in-person session, its start. */
  dueAt: Date;
  /** Sessions: when they end and where they are held; null for other work. */
  endsAt: Date | null;
  location: string | null;
  state: Exclude<ActivityState, 'completed'>;
  overdue: boolean;
  dueSoon: boolean;
}

export interface TodoCourse {
  id: string;
  title: string;
  status: 'published' | 'closed';
  startsAt: Date;
  endsAt: Date;
  completed: boolean;
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  requiredCreditHours: number;
  sessionsAttended: number;
  /** In-person sessions the course holds (archived ones aside); 0 when it has none. */
  sessionsTotal: number;
  requiredSessions: number;
}

export interface LearnerTodo {
  /** Overdue first (the longest overdue first), then due soon (the nearest first). */
  items: TodoItem[];
  /** Running courses first (the nearest end first), then closed ones (the latest first). */
  courses: TodoCourse[];
  /** Where "due soon" ends: the end of the China-time day DUE_SOON_DAYS - 1 days after today. */
  dueSoonUntil: Date;
}

/**
 * The secretary's home (待办): required work overdue or due soon across the running courses they are enrolled
 * in, and each course's figures from the stored summaries (frozen results once closed). Two queries whatever
 * the number of courses; nothing is recomputed from raw events.
 */
@Injectable()
export class LearnerTodoService {
  constructor(private readonly repository: LearnerTodoRepository) {}

  async todo(userId: string, now: Date = new Date()): Promise<LearnerTodo> {
    const dueSoonUntil = chinaDayStart(now, DUE_SOON_DAYS);
    const courseRows = await this.repository.findCourses(userId);
    // Required work not yet done in running courses: dated work due before the window ends, and every
    // session (filtered below by its own times, kept in its settings).
    const workRows = await this.repository.findOpenRequiredWork(userId, dueSoonUntil);

    const items: TodoItem[] = [];
    for (const row of workRows) {
      const base = { activityId: String(row.activityId), courseId: String(row.courseId), courseTitle: row.courseTitle, title: row.title, type: row.type, state: row.state as TodoItem['state'] };
      if (row.type === 'session') {
        // A session is due soon from the window's opening until it ends; a missed one cannot be done late.
        const session = typeof row.settings === 'string' ? (JSON.parse(row.settings) as SessionSettings) : row.settings;
        const startsAt = new Date(session.startsAt);
        const endsAt = new Date(session.endsAt);
        if (endsAt > now && startsAt < dueSoonUntil) items.push({ ...base, dueAt: startsAt, endsAt, location: session.location ?? null, overdue: false, dueSoon: true });
      } else if (row.dueAt) {
        const overdue = row.dueAt <= now;
        items.push({ ...base, dueAt: row.dueAt, endsAt: null, location: null, overdue, dueSoon: !overdue });
      }
    }
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.getTime() - b.dueAt.getTime() || a.title.localeCompare(b.title, 'zh-CN'));

    return {
      items,
      courses: courseRows.map((r) => ({
        id: String(r.id),
        title: r.title,
        status: r.status,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        completed: Boolean(r.completed),
        requiredDone: Number(r.requiredDone ?? 0),
        requiredTotal: Number(r.requiredTotal ?? 0),
        creditHours: Number(r.creditHours ?? 0),
        requiredCreditHours: Number(r.requiredCreditHours),
        sessionsAttended: Number(r.sessionsAttended ?? 0),
        sessionsTotal: Number(r.sessionsTotal),
        requiredSessions: Number(r.requiredSessions),
      })),
      dueSoonUntil,
    };
  }
}

/** The start of the China-time calendar day `days` after the one `at` falls in. */
export function chinaDayStart(at: Date, days: number): Date {
  const china = at.getTime() + CHINA_OFFSET_MS;
  return new Date(china - (((china % DAY_MS) + DAY_MS) % DAY_MS) + days * DAY_MS - CHINA_OFFSET_MS);
}
