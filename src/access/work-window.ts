import { ConflictException } from '@nestjs/common';
import type { SessionSettings } from './activity-settings';
import type { ActivityRow, CourseRow } from './course-rows';

/**
 * Where an activity stands for a learner who wants to do it now:
 * - `notYetOpen`: before its opensAt;
 * - `open`: before its due date (or it has none);
 * - `makeUp` (补学): past its due date, inside the course's make-up window: work is taken and marked 补学;
 * - `closed`: past due and past any make-up window, or the course has closed (结业), which closes everything.
 */
export type WorkWindowState = 'notYetOpen' | 'open' | 'makeUp' | 'closed';

export interface WorkWindow {
  state: WorkWindowState;
  opensAt: Date | null;
  dueAt: Date | null;
  /** The end of the make-up window, when the course allows make-up (null: no make-up for this activity). */
  makeUpUntil: Date | null;
  /** The last moment work is taken (make-up included); when closed, the moment it closed. Null: no limit known. */
  closesAt: Date | null;
}

type WindowActivity = Pick<ActivityRow, 'opensAt' | 'dueAt'>;
type WindowCourse = Pick<CourseRow, 'status' | 'endsAt' | 'graceDays' | 'makeUpPolicy' | 'makeUpUntil' | 'closedAt'>;

const DAY_MS = 24 * 3600 * 1000;

/** When the course closes by itself: its end plus the grace (补学) days. */
export function courseClosesAt(course: Pick<CourseRow, 'endsAt' | 'graceDays'>): Date {
  return new Date(course.endsAt.getTime() + course.graceDays * DAY_MS);
}

/** The end of the course's make-up window, or null when it allows none. Never later than the course's closing. */
export function makeUpEnd(course: Omit<WindowCourse, 'status' | 'closedAt'>): Date | null {
  const closes = courseClosesAt(course);
  if (course.makeUpPolicy === 'until_end') return closes;
  if (course.makeUpPolicy === 'until' && course.makeUpUntil) return course.makeUpUntil < closes ? course.makeUpUntil : closes;
  return null;
}

/** The one rule every place that takes a learner's work consults (see WorkWindowState). */
export function workWindow(activity: WindowActivity, course: WindowCourse, now: Date): WorkWindow {
  const closes = courseClosesAt(course);
  const makeUpUntil = activity.dueAt ? makeUpEnd(course) : null;
  const base = { opensAt: activity.opensAt, dueAt: activity.dueAt, makeUpUntil };
  if (course.status === 'closed') return { ...base, state: 'closed', closesAt: course.closedAt ?? closes };
  if (activity.opensAt && now < activity.opensAt) return { ...base, state: 'notYetOpen', closesAt: makeUpUntil ?? activity.dueAt ?? closes };
  if (!activity.dueAt) return { ...base, state: now < closes ? 'open' : 'closed', closesAt: closes };
  if (now < activity.dueAt) return { ...base, state: 'open', closesAt: makeUpUntil && makeUpUntil > activity.dueAt ? makeUpUntil : activity.dueAt };
  if (makeUpUntil && now < makeUpUntil) return { ...base, state: 'makeUp', closesAt: makeUpUntil };
  return { ...base, state: 'closed', closesAt: makeUpUntil && makeUpUntil > activity.dueAt ? makeUpUntil : activity.dueAt };
}

/**
 * Can the learner still do it? In-person sessions are attended live: not once they have ended. Other work:
 * unless its window (make-up included) has closed. Reminders ask only for what this allows.
 */
export function stillDoable(activity: WindowActivity & Pick<ActivityRow, 'type' | 'settings'>, course: WindowCourse, now: Date): boolean {
  if (activity.type === 'session') return course.status !== 'closed' && new Date((activity.settings as SessionSettings).endsAt) > now;
  return workWindow(activity, course, now).state !== 'closed';
}

/** Was work done at `at` late (after the due date)? Sessions are attended live and are never made up. */
export function isMadeUp(activity: Pick<ActivityRow, 'type' | 'dueAt'>, at: Date): boolean {
  return activity.type !== 'session' && activity.dueAt !== null && at > activity.dueAt;
}

const beijing = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026年11月27日 14:00", Beijing time. */
export function beijingDateTime(at: Date): string {
  const parts = Object.fromEntries(beijing.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/**
 * 409 unless the learner may do the activity now. The message says what happened and until when it was open;
 * `window` carries the dates for a client that wants to show them its own way.
 */
export function assertWorkOpen(activity: WindowActivity & Pick<ActivityRow, 'title'>, course: WindowCourse, now: Date): WorkWindow {
  const window = workWindow(activity, course, now);
  const name = `「${activity.title}」`;
  const details = { window: { state: window.state, opensAt: window.opensAt, dueAt: window.dueAt, makeUpUntil: window.makeUpUntil, closesAt: window.closesAt } };
  if (window.state === 'notYetOpen') {
    throw new ConflictException({ message: `${name}尚未开放，${beijingDateTime(window.opensAt!)} 起可以学习。`, code: 'ACTIVITY_NOT_OPEN', ...details });
  }
  if (window.state !== 'closed') return window;
  if (course.status === 'closed') {
    throw new ConflictException({ message: '培训班已结业，不能再提交学习任务。', code: 'COURSE_CLOSED', ...details });
  }
  if (!window.dueAt) {
    throw new ConflictException({ message: `${name}已随培训班于 ${beijingDateTime(window.closesAt!)} 截止，不能再提交。`, code: 'ACTIVITY_CLOSED', ...details });
  }
  if (window.makeUpUntil && window.makeUpUntil > window.dueAt) {
    throw new ConflictException({
      message: `${name}已于 ${beijingDateTime(window.dueAt)} 截止，补学也已于 ${beijingDateTime(window.makeUpUntil)} 结束，不能再提交。`,
      code: 'MAKE_UP_CLOSED',
      ...details,
    });
  }
  throw new ConflictException({ message: `${name}已于 ${beijingDateTime(window.dueAt)} 截止，本培训班不安排补学，不能再提交。`, code: 'ACTIVITY_CLOSED', ...details });
}
