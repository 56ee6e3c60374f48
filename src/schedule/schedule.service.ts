import { Inject, Injectable, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { createEvents, EventAttributes } from 'ics';
import { createHash, randomBytes } from 'node:crypto';
import { AccessRepository } from '../access/access.repository';
import type { SessionSettings } from '../access/activity-settings';
import { CourseAccessService } from '../access/course-access.service';
import type { ActivityRow, CourseRow } from '../access/course-rows';
import type { AuthUser } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CoursePlansReader, type CoursePlan } from '../courses/course-plans.reader';
import { CoursesRepository } from '../courses/courses.repository';
import { ActivityState } from '../progress/activity-progress.entity';
import { ProgressService } from '../progress/progress.service';
import { UsersRepository } from '../users/users.repository';
import { CalendarFeedsRepository } from './calendar-feeds.repository';

export const TIME_ZONE = 'Asia/Shanghai';

export interface ScheduleItem extends Pick<ActivityRow, 'id' | 'type' | 'title' | 'required' | 'creditHours' | 'opensAt' | 'dueAt'> {
  /** Sessions: when and where. */
  startsAt: Date | null;
  endsAt: Date | null;
  location: string | null;
  speaker: string | null;
  /** The month (Asia/Shanghai, YYYY-MM) the item falls in: its session date, else its due date. */
  month: string | null;
  /** The caller's state when they are a learner of the course; null for instructors and admins. */
  state: ActivityState | null;
  completedAt: Date | null;
  overdue: boolean;
}

export interface ScheduleView {
  course: { id: string; title: string; startsAt: Date; endsAt: Date; status: CourseRow['status'] };
  sections: { id: string; title: string; description: string | null; position: number; items: ScheduleItem[] }[];
  months: { month: string; items: ScheduleItem[] }[];
}

const monthFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit' });
const localFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' });
const TYPE_NAMES: Record<ActivityRow['type'], string> = { video: '视频', reading: '阅读', quiz: '测验', discussion: '研讨', session: '集中培训' };

/**
 * The study schedule (学习安排表, "一表"): every dated item of a course by section and by month with the
 * caller's state, and the same as an iCalendar feed, also reachable by a secret per-user URL for phones.
 */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly feeds: CalendarFeedsRepository,
    private readonly courses: CoursesRepository,
    private readonly plans: CoursePlansReader,
    private readonly users: UsersRepository,
    private readonly accessRows: AccessRepository,
    private readonly access: CourseAccessService,
    private readonly progress: ProgressService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async schedule(courseId: string, actor: AuthUser): Promise<ScheduleView> {
    const { course, role } = await this.access.view(courseId, actor);
    return this.build(course, role === 'learner' ? actor.id : null, await this.planOf(course.id));
  }

  async ics(courseId: string, actor: AuthUser): Promise<string> {
    const { course, role } = await this.access.view(courseId, actor);
    return this.toIcs([await this.build(course, role === 'learner' ? actor.id : null, await this.planOf(course.id))], course.title);
  }

  /** Creates (or replaces, which revokes the old URL) the caller's secret calendar subscription URL. */
  async createFeed(userId: string): Promise<{ url: string; createdAt: Date }> {
    const token = randomBytes(24).toString('base64url');
    await this.feeds.upsert(userId, digest(token));
    return { url: `${this.config.http.publicUrl.replace(/\/$/, '')}/api/calendar/${token}.ics`, createdAt: new Date() };
  }

  async revokeFeed(userId: string): Promise<void> {
    await this.feeds.delete(userId);
  }

  /** The feed behind a secret URL: every course the owner learns in or teaches. 404 for unknown or revoked tokens. */
  async feed(token: string): Promise<string> {
    const feed = /^[\w-]{20,64}$/.test(token) ? await this.feeds.findByTokenHash(digest(token)) : null;
    const role = feed ? await this.users.activeRole(feed.userId) : null;
    if (!feed || !role) throw new NotFoundException({ message: '日历订阅地址已失效，请重新获取', code: 'FEED_NOT_FOUND' });
    const courses = await this.courses.findLearnedOrTaught(feed.userId, this.accessRows.courseIdsLearnedBy(feed.userId, true));
    const plans = await this.plans.livePlansOf(courses.map((c) => c.id));
    const schedules = [];
    for (const course of courses) schedules.push(await this.build(course, role === 'secretary' ? feed.userId : null, plans.get(course.id)!));
    return this.toIcs(schedules, '党支部书记培训 学习安排');
  }

  private async planOf(courseId: string): Promise<CoursePlan> {
    return (await this.plans.livePlansOf([courseId])).get(courseId)!;
  }

  private async build(course: CourseRow, learnerId: string | null, { sections, activities }: CoursePlan): Promise<ScheduleView> {
    const states = learnerId ? await this.progress.statesFor(learnerId, activities.map((a) => a.id)) : new Map();
    const now = new Date();
    const items = new Map<string, ScheduleItem>(
      activities.map((a) => {
        const session = a.type === 'session' ? (a.settings as SessionSettings) : null;
        const state = learnerId ? (states.get(a.id)?.state ?? 'not_started') : null;
        const when = session ? new Date(session.startsAt) : a.dueAt;
        return [
          a.id,
          {
            id: a.id,
            type: a.type,
            title: a.title,
            required: a.required,
            creditHours: a.creditHours,
            opensAt: a.opensAt,
            dueAt: a.dueAt,
            startsAt: session ? new Date(session.startsAt) : null,
            endsAt: session ? new Date(session.endsAt) : null,
            location: session?.location ?? null,
            speaker: session?.speaker ?? null,
            month: when ? monthFormat.format(when) : null,
            state,
            completedAt: states.get(a.id)?.completedAt ?? null,
            overdue: state !== null && state !== 'completed' && a.dueAt !== null && a.dueAt < now,
          },
        ];
      }),
    );
    const months = new Map<string, ScheduleItem[]>();
    for (const item of items.values()) {
      if (item.month) months.set(item.month, [...(months.get(item.month) ?? []), item]);
    }
    const when = (i: ScheduleItem) => (i.startsAt ?? i.dueAt)!.getTime();
    return {
      course: { id: course.id, title: course.title, startsAt: course.startsAt, endsAt: course.endsAt, status: course.status },
      sections: sections.map((s) => ({
        id: s.id,
        title: s.title,
        description: s.description,
        position: s.position,
        items: activities.filter((a) => a.sectionId === s.id).map((a) => items.get(a.id)!),
      })),
      months: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, list]) => ({ month, items: list.sort((a, b) => when(a) - when(b)) })),
    };
  }

  /** Sessions as events at their time and place; other dated items as a half-hour "截止" event before the due time. */
  private toIcs(schedules: ScheduleView[], calName: string): string {
    const base = this.config.http.publicUrl.replace(/\/$/, '');
    const events: EventAttributes[] = [];
    for (const schedule of schedules) {
      for (const section of schedule.sections) {
        for (const item of section.items) {
          const common = {
            uid: `activity-${item.id}@${new URL(base).hostname}`,
            url: `${base}/courses/${schedule.course.id}/activities/${item.id}`,
            startInputType: 'utc' as const,
            startOutputType: 'utc' as const,
            endInputType: 'utc' as const,
            endOutputType: 'utc' as const,
            categories: [TYPE_NAMES[item.type]],
          };
          if (item.startsAt && item.endsAt) {
            events.push({
              ...common,
              title: `【集中培训】${item.title}`,
              start: item.startsAt.getTime(),
              end: item.endsAt.getTime(),
              location: item.location ?? undefined,
              description: [`${schedule.course.title} · ${section.title}`, item.speaker ? `主讲：${item.speaker}` : null, `时间：${localFormat.format(item.startsAt)}（北京时间）`, `学时：${item.creditHours}`]
                .filter(Boolean)
                .join('\n'),
              alarms: [{ action: 'display', description: item.title, trigger: { hours: 1, before: true } }],
            });
          } else if (item.dueAt) {
            events.push({
              ...common,
              title: `【截止】${TYPE_NAMES[item.type]}：${item.title}`,
              start: item.dueAt.getTime() - 30 * 60 * 1000,
              end: item.dueAt.getTime(),
              description: [`${schedule.course.title} · ${section.title}`, `截止时间：${localFormat.format(item.dueAt)}（北京时间）`, `${item.required ? '必修' : '选修'} · 学时：${item.creditHours}`].join('\n'),
              transp: 'TRANSPARENT',
            });
          }
        }
      }
    }
    const { error, value } = createEvents(events, { productId: 'branch-secretary-training', calName });
    if (error || value === null) throw new InternalServerErrorException({ message: '日历生成失败，请稍后重试', code: 'INTERNAL_ERROR' });
    // Calendars show the instants in the reader's zone; the header says which zone the plan was written for.
    return value.replace('BEGIN:VCALENDAR\r\n', `BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:${TIME_ZONE}\r\n`);
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

