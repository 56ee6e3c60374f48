export type ActivityType = 'video' | 'reading' | 'quiz' | 'discussion' | 'session';
export type CourseStatus = 'draft' | 'published' | 'closed';

export interface Course {
  id: string;
  title: string;
  description: string | null;
  status: CourseStatus;
  startsAt: string;
  endsAt: string;
  graceDays: number;
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
