import { Injectable } from '@nestjs/common';
import type { SessionSettings } from '../access/activity-settings';
import { ActivitiesRepository } from '../courses/activities.repository';
import type { Activity } from '../courses/activity.entity';
import { CoursesRepository } from '../courses/courses.repository';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { SurveysRepository } from '../surveys/surveys.repository';
import { ActivityState } from './activity-progress.entity';
import { CourseProgressRepository } from './course-progress.repository';
import { ProgressService } from './progress.service';

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
  /** The questionnaire the learner must answer before the course's certificate is issued; null when it has none. */
  questionnaire: CourseQuestionnaire | null;
}

export interface CourseQuestionnaire {
  surveyId: string;
  title: string;
  opensAt: Date;
  closesAt: Date;
  answered: boolean;
}

/** A course's required questionnaire still to answer. */
export interface TodoQuestionnaire extends Omit<CourseQuestionnaire, 'answered'> {
  courseId: string;
  courseTitle: string;
  /** The questionnaire's close has passed: it still takes this learner's first answer, for the certificate. */
  late: boolean;
}

export interface LearnerTodo {
  /** Overdue first (the longest overdue first), then due soon (the nearest first). */
  items: TodoItem[];
  /** Running courses first (the nearest end first), then closed ones (the latest first). */
  courses: TodoCourse[];
  /**
   * Questionnaires required before a certificate, opened and not yet answered: of running courses, and of closed
   * ones the learner completed (their certificate waits for the answer). The nearest close first.
   */
  questionnaires: TodoQuestionnaire[];
  /** Where "due soon" ends: the end of the China-time day DUE_SOON_DAYS - 1 days after today. */
  dueSoonUntil: Date;
}

/** The courses' page is asked for all of the learner's courses at once. */
const ALL = Number.MAX_SAFE_INTEGER;

/**
 * The secretary's home (待办): required work overdue or due soon across the running courses they are enrolled
 * in, and each course's figures from the stored summaries (frozen results once closed). Each owner is asked
 * for its part: the enrolments (as a subquery the courses' page composes), each course's plan, and the
 * learner's summaries and states here; nothing is recomputed from raw events.
 */
@Injectable()
export class LearnerTodoService {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly courses: CoursesRepository,
    private readonly activities: ActivitiesRepository,
    private readonly summaries: CourseProgressRepository,
    private readonly progress: ProgressService,
    private readonly surveys: SurveysRepository,
  ) {}

  async todo(userId: string, now: Date = new Date()): Promise<LearnerTodo> {
    const dueSoonUntil = chinaDayStart(now, DUE_SOON_DAYS);
    // Running courses first (the nearest end first), then closed ones (the latest first).
    const [enrolled] = await this.courses.findPage({ idIn: this.enrollments.courseIdsOf(userId, true), publishedOnly: true, skip: 0, take: ALL });
    const courses = enrolled.sort(
      (a, b) =>
        Number(a.status === 'closed') - Number(b.status === 'closed') ||
        (a.status === 'closed' ? b.endsAt.getTime() - a.endsAt.getTime() : a.endsAt.getTime() - b.endsAt.getTime()) ||
        compareIds(a.id, b.id),
    );
    const running = courses.filter((c) => c.status !== 'closed').map((c) => c.id);
    const summaries = await this.summaries.findSummariesOf(userId, running);
    const results = await this.summaries.findResultsOf(userId, courses.filter((c) => c.status === 'closed').map((c) => c.id));
    const live = new Map<string, Activity[]>();
    const plans = await this.activities.findByCourses(courses.map((c) => c.id));
    for (const course of courses) live.set(course.id, plans.get(course.id)!.filter((a) => a.archivedAt === null));

    // Required work not yet done in running courses: dated work due before the window ends, and every
    // session (filtered below by its own times, kept in its settings).
    const open = courses
      .filter((c) => c.status === 'published')
      .flatMap((course) =>
        live.get(course.id)!.filter((a) => a.required && (a.type === 'session' || (a.dueAt !== null && a.dueAt < dueSoonUntil))).map((activity) => ({ course, activity })),
      );
    const states = await this.progress.statesFor(userId, open.map(({ activity }) => activity.id));

    const items: TodoItem[] = [];
    for (const { course, activity } of open) {
      const state = states.get(activity.id)?.state ?? 'not_started';
      if (state === 'completed') continue;
      const base = { activityId: activity.id, courseId: course.id, courseTitle: course.title, title: activity.title, type: activity.type, state };
      if (activity.type === 'session') {
        // A session is due soon from the window's opening until it ends; a missed one cannot be done late.
        const session = activity.settings as SessionSettings;
        const startsAt = new Date(session.startsAt);
        const endsAt = new Date(session.endsAt);
        if (endsAt > now && startsAt < dueSoonUntil) items.push({ ...base, dueAt: startsAt, endsAt, location: session.location ?? null, overdue: false, dueSoon: true });
      } else if (activity.dueAt) {
        const overdue = activity.dueAt <= now;
        items.push({ ...base, dueAt: activity.dueAt, endsAt: null, location: null, overdue, dueSoon: !overdue });
      }
    }
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.getTime() - b.dueAt.getTime() || a.title.localeCompare(b.title, 'zh-CN'));

    // Who answered is read from the respondents (never from the answers): anonymous questionnaires count too.
    const required = await this.surveys.findRequiredOfCourses(courses.map((c) => c.id));
    const answered = await this.surveys.answeredBy(userId, [...required.values()].map((s) => s.id));
    const questionnaireOf = (courseId: string): CourseQuestionnaire | null => {
      const survey = required.get(courseId);
      return survey ? { surveyId: survey.id, title: survey.title, opensAt: survey.opensAt, closesAt: survey.closesAt, answered: answered.has(survey.id) } : null;
    };
    const figuresOf = (c: (typeof courses)[number]) => (c.status === 'closed' ? results.get(c.id) : summaries.get(c.id));
    const questionnaires: TodoQuestionnaire[] = courses
      .filter((c) => c.status !== 'closed' || Boolean(figuresOf(c)?.completed))
      .flatMap((c) => {
        const q = questionnaireOf(c.id);
        if (!q || q.answered || q.opensAt > now) return [];
        return [{ surveyId: q.surveyId, title: q.title, opensAt: q.opensAt, closesAt: q.closesAt, courseId: c.id, courseTitle: c.title, late: q.closesAt <= now }];
      })
      .sort((a, b) => a.closesAt.getTime() - b.closesAt.getTime() || compareIds(a.surveyId, b.surveyId));

    return {
      items,
      questionnaires,
      courses: courses.map((c) => {
        const figures = figuresOf(c);
        return {
          id: c.id,
          title: c.title,
          status: c.status as TodoCourse['status'],
          startsAt: c.startsAt,
          endsAt: c.endsAt,
          completed: Boolean(figures?.completed),
          requiredDone: Number(figures?.requiredDone ?? 0),
          requiredTotal: Number(figures?.requiredTotal ?? 0),
          creditHours: Number(figures?.creditHours ?? 0),
          requiredCreditHours: Number(c.requiredCreditHours),
          sessionsAttended: Number(figures?.sessionsAttended ?? 0),
          sessionsTotal: live.get(c.id)!.filter((a) => a.type === 'session').length,
          requiredSessions: Number(c.requiredSessions),
          questionnaire: questionnaireOf(c.id),
        };
      }),
      dueSoonUntil,
    };
  }
}

/** Numeric ids (bigint, as strings) in numeric order. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The start of the China-time calendar day `days` after the one `at` falls in. */
export function chinaDayStart(at: Date, days: number): Date {
  const china = at.getTime() + CHINA_OFFSET_MS;
  return new Date(china - (((china % DAY_MS) + DAY_MS) % DAY_MS) + days * DAY_MS - CHINA_OFFSET_MS);
}
