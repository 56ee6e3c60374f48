export type ActivityType = 'video' | 'reading' | 'quiz' | 'discussion' | 'session';
export type CourseStatus = 'draft' | 'published' | 'closed';

export type MakeUpPolicy = 'none' | 'until_end' | 'until';

/** Where an activity honestly stands for the learner (GET /courses/:id/progress, the learning record). */
export type Standing = 'completed' | 'madeUp' | 'open' | 'notYetOpen' | 'makeUp' | 'closed' | 'upcoming' | 'absent' | 'excused' | 'ended';

export interface MyActivityProgress {
  id: string;
  state: 'not_started' | 'in_progress' | 'completed';
  percent: number;
  completedAt: string | null;
  madeUp: boolean;
  standing: Standing;
  makeUpUntil: string | null;
  closesAt: string | null;
}

export interface Course {
  id: string;
  title: string;
  description: string | null;
  status: CourseStatus;
  startsAt: string;
  endsAt: string;
  graceDays: number;
  /** 补学: whether and until when overdue work may still be done. */
  makeUpPolicy: MakeUpPolicy;
  makeUpUntil: string | null;
  closesAt: string;
  requiredCreditHours: number;
  requiredSessions: number;
  role?: string;
  instructors?: Array<{ id: string; name: string }>;
}

export interface ActivitySummary {
  id: string;
  type: ActivityType;
  title: string;
  required: boolean;
  creditHours: number;
  opensAt: string | null;
  dueAt: string | null;
  archivedAt?: string | null;
  position?: number;
}

export interface Section {
  id: string;
  title: string;
  description: string | null;
  position: number;
  activities: ActivitySummary[];
}

export interface CourseDetail extends Course {
  sections: Section[];
}

export interface Activity extends ActivitySummary {
  courseId: string;
  sectionId: string;
  settings: Record<string, unknown>;
}

export interface ScheduleItem {
  id: string;
  type: ActivityType;
  title: string;
  required: boolean;
  creditHours: number;
  opensAt: string | null;
  dueAt: string | null;
  startsAt: string | null;
  endsAt: string | null;
  location: string | null;
  speaker: string | null;
  month: string;
  /** null for staff (no learner state). */
  state: 'not_started' | 'in_progress' | 'completed' | null;
  completedAt: string | null;
  overdue: boolean;
}

export interface Schedule {
  course: Pick<Course, 'id' | 'title' | 'startsAt' | 'endsAt' | 'status'>;
  sections: Array<{ id: string; title: string; description: string | null; position: number; items: ScheduleItem[] }>;
  months: Array<{ month: string; items: ScheduleItem[] }>;
}

export interface ProgressSummary {
  completed: boolean;
  completedAt: string | null;
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  requiredCreditHours: number;
  sessionsAttended: number;
  requiredSessions: number;
}
