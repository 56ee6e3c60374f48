import type { ActivitySettings } from './activity-settings';

/**
 * The course vocabulary every module shares, below the modules that own the tables: what a course and an
 * activity row hold. The access rules read them (src/access never imports an entity of the modules above
 * it); the courses module's entities implement these shapes, so a row from either is the same thing.
 */

export const COURSE_STATUSES = ['draft', 'published', 'closed'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/**
 * 补学: may overdue work still be done? `none`: no, it closes at its due date; `until_end`: until the course
 * closes (endsAt plus graceDays); `until`: until `makeUpUntil`. See work-window.ts.
 */
export const MAKE_UP_POLICIES = ['none', 'until_end', 'until'] as const;
export type MakeUpPolicy = (typeof MAKE_UP_POLICIES)[number];

export const ACTIVITY_TYPES = ['video', 'reading', 'quiz', 'discussion', 'session'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** What people call each type, in the sentences they read. */
export const ACTIVITY_TYPE_NAMES: Record<ActivityType, string> = { video: '视频课', reading: '阅读任务', quiz: '测验', discussion: '讨论任务', session: '集中培训' };

/** A training class (培训班): one run of the curriculum over a training period. */
export interface CourseRow {
  id: string;
  title: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  /** 补学: days after endsAt during which learners may still catch up before the course closes. */
  graceDays: number;
  makeUpPolicy: MakeUpPolicy;
  /** The make-up deadline when makeUpPolicy is `until`; null otherwise. */
  makeUpUntil: Date | null;
  requiredCreditHours: number;
  requiredSessions: number;
  status: CourseStatus;
  publishedAt: Date | null;
  closedAt: Date | null;
  /** Set when the course comes from content/ (curriculum as code): the import's stable key. */
  contentKey: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A learning task (学习任务) of one of five types; its type's own settings live in `settings`. */
export interface ActivityRow {
  id: string;
  courseId: string;
  sectionId: string;
  type: ActivityType;
  title: string;
  required: boolean;
  creditHours: number;
  opensAt: Date | null;
  dueAt: Date | null;
  position: number;
  settings: ActivitySettings;
  /** Archived activities keep their learner records but no longer count toward completion. */
  archivedAt: Date | null;
  contentKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}
