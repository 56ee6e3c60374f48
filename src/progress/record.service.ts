import { Injectable, NotFoundException } from '@nestjs/common';
import { toExcelCsv } from '../common/csv';
import { workWindow } from '../access/work-window';
import type { CourseRow } from '../access/course-rows';
import { CoursesRepository } from '../courses/courses.repository';
import type { Activity } from '../courses/activity.entity';
import type { Course } from '../courses/course.entity';
import { CoursePlansReader } from '../courses/course-plans.reader';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { SurveysRepository } from '../surveys/surveys.repository';
import { UsersRepository } from '../users/users.repository';
import { ActivityMarks } from './activity-marks';
import { ActivityState } from './activity-progress.entity';
import { CreditEntriesRepository } from './credit-entries.repository';
import type { CourseQuestionnaire } from './learner-todo.service';
import { CourseSummaryView, ProgressService } from './progress.service';

/** What the standing of an activity depends on in its course. */
type StandingCourse = Pick<CourseRow, 'status' | 'endsAt' | 'graceDays' | 'makeUpPolicy' | 'makeUpUntil' | 'closedAt'>;

/** Every course of a learner's record: the courses' page is asked for all of them at once. */
const ALL = Number.MAX_SAFE_INTEGER;

/** Where the learner stands in each activity of one course (see RecordStanding). */
export interface CourseProgressView extends CourseSummaryView {
  /** The course's questionnaire required before its certificate, and whether the learner has answered it; null when it has none. */
  questionnaire: CourseQuestionnaire | null;
  activities: ({ id: string; percent: number } & Pick<RecordActivity, 'state' | 'startedAt' | 'completedAt' | 'madeUp' | 'standing' | 'makeUpUntil' | 'closesAt'>)[];
}

/**
 * Where an activity honestly stands for the learner, beyond its progress state: done on time or made up
 * (补学); not done and still open, open for make-up, closed, or not yet open; for a session, upcoming, or
 * over and missed — marked absent (缺勤), excused (请假) or never checked in (已结束).
 */
export type RecordStanding =
  | 'completed'
  | 'madeUp'
  | 'open'
  | 'notYetOpen'
  | 'makeUp'
  | 'closed'
  | 'upcoming'
  | 'absent'
  | 'excused'
  | 'ended';

export interface RecordActivity {
  id: string;
  section: string;
  type: string;
  title: string;
  required: boolean;
  creditHours: number;
  dueAt: Date | null;
  state: ActivityState;
  startedAt: Date | null;
  completedAt: Date | null;
  /** 补学: completed after the due date, inside the course's make-up window. */
  madeUp: boolean;
  standing: RecordStanding;
  /** While `standing` is `makeUp`: the make-up deadline. */
  makeUpUntil: Date | null;
  /** Online work not done: the last moment it is (or was) taken, make-up included. Null for sessions. */
  closesAt: Date | null;
}

export interface LearningRecord {
  user: { id: string; username: string; name: string };
  courses: {
    course: { id: string; title: string; status: string; startsAt: Date; endsAt: Date };
    enrollment: { status: string; enrolledAt: Date; withdrawnAt: Date | null };
    summary: CourseSummaryView | null;
    activities: RecordActivity[];
  }[];
  /** The 学时 ledger entries behind the totals, oldest first. */
  credits: { courseId: string; activityId: string | null; hours: number; source: 'online' | 'offline'; reason: string; at: Date }[];
}

const STATE_NAMES: Record<ActivityState, string> = { not_started: '未开始', in_progress: '进行中', completed: '已完成' };
/** `open` is named by the progress state (未开始 / 进行中). */
const STANDING_NAMES: Record<Exclude<RecordStanding, 'open'>, string> = {
  completed: '已完成',
  madeUp: '补学完成',
  notYetOpen: '未开放',
  makeUp: '已逾期，可补学',
  closed: '已截止，未完成',
  upcoming: '未开始',
  absent: '缺勤',
  excused: '请假',
  ended: '已结束，未签到',
};

function standingOf(
  a: { type: string; state: ActivityState; madeUp: boolean; opensAt: Date | null; dueAt: Date | null; sessionEndsAt: Date | null; attendance: string | null },
  course: StandingCourse,
  now: Date,
): Pick<RecordActivity, 'standing' | 'makeUpUntil' | 'closesAt'> {
  if (a.type === 'session') {
    if (a.state === 'completed') return { standing: 'completed', makeUpUntil: null, closesAt: null };
    if (a.attendance === 'absent' || a.attendance === 'excused') return { standing: a.attendance, makeUpUntil: null, closesAt: null };
    return { standing: a.sessionEndsAt && a.sessionEndsAt <= now ? 'ended' : 'upcoming', makeUpUntil: null, closesAt: null };
  }
  if (a.state === 'completed') return { standing: a.madeUp ? 'madeUp' : 'completed', makeUpUntil: null, closesAt: null };
  const window = workWindow(a, course, now);
  return { standing: window.state, makeUpUntil: window.state === 'makeUp' ? window.makeUpUntil : null, closesAt: window.closesAt };
}

const TYPE_NAMES: Record<string, string> = { video: '视频', reading: '阅读', quiz: '测验', discussion: '研讨', session: '集中培训' };
const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });

/** The learner's own views: progress in one course and the learning record (学习档案) across all of them. */
@Injectable()
export class RecordService {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly courses: CoursesRepository,
    private readonly plans: CoursePlansReader,
    private readonly users: UsersRepository,
    private readonly marks: ActivityMarks,
    private readonly credits: CreditEntriesRepository,
    private readonly progress: ProgressService,
    private readonly surveys: SurveysRepository,
  ) {}

  /** 404 unless the caller is (or was) enrolled: nobody reads another learner's progress here. */
  async courseProgress(courseId: string, userId: string): Promise<CourseProgressView> {
    // Enrolled (or withdrawn) in a course past draft.
    const course = (await this.enrollments.statusOf(courseId, userId)) ? await this.courses.findById(courseId) : null;
    const summary = course && course.status !== 'draft' ? await this.progress.summary(courseId, userId) : null;
    if (!course || !summary) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
    const activities = await this.activities(userId, [course]);
    const required = await this.surveys.findRequiredOf(courseId);
    // Who answered, from the respondents only: an anonymous questionnaire stays anonymous.
    const answered = required ? (await this.surveys.answeredBy(userId, [required.id])).has(required.id) : false;
    return {
      ...summary,
      questionnaire: required ? { surveyId: required.id, title: required.title, opensAt: required.opensAt, closesAt: required.closesAt, answered } : null,
      activities: activities.map((a) => ({
        id: a.id,
        state: a.state,
        percent: a.percent,
        startedAt: a.startedAt,
        completedAt: a.completedAt,
        madeUp: a.madeUp,
        standing: a.standing,
        makeUpUntil: a.makeUpUntil,
        closesAt: a.closesAt,
      })),
    };
  }

  /** Every live activity of these courses with the learner's state and standing, in plan order. */
  private async activities(userId: string, courses: Course[]): Promise<(RecordActivity & { courseId: string; percent: number })[]> {
    const plan: { courseId: string; section: string; activity: Activity }[] = [];
    const plans = await this.plans.livePlansOf(courses.map((c) => c.id));
    for (const course of courses) {
      const { sections, activities } = plans.get(course.id)!;
      const titles = new Map(sections.map((section) => [section.id, section.title]));
      plan.push(...activities.map((activity) => ({ courseId: course.id, section: titles.get(activity.sectionId)!, activity })));
    }
    const states = await this.progress.statesFor(userId, plan.map(({ activity }) => activity.id));
    const marks = await this.marks.marksOf(userId, plan.map(({ activity }) => activity));
    const courseById = new Map(courses.map((c) => [c.id, c]));
    const now = new Date();
    return plan.map(({ courseId, section, activity: a }) => {
      const state = states.get(a.id);
      const madeUp = state?.state === 'completed' && Boolean(state.madeUp);
      const sessionEndsAt = (a.settings as { endsAt?: string }).endsAt;
      const facts = {
        type: a.type,
        state: state?.state ?? 'not_started',
        madeUp,
        opensAt: a.opensAt,
        dueAt: a.dueAt,
        sessionEndsAt: sessionEndsAt ? new Date(sessionEndsAt) : null,
        attendance: marks.get(a.id) ?? null,
      };
      return {
        courseId,
        id: a.id,
        section,
        type: a.type,
        title: a.title,
        required: Boolean(a.required),
        creditHours: Number(a.creditHours),
        dueAt: a.dueAt,
        state: facts.state,
        startedAt: state?.startedAt ?? null,
        completedAt: state?.completedAt ?? null,
        percent: Number(state?.percent ?? 0),
        madeUp,
        ...standingOf(facts, courseById.get(courseId)!, now),
      };
    });
  }

  async record(userId: string): Promise<LearningRecord> {
    const user = (await this.users.findById(userId))!;
    // The learner's enrolments in courses past draft, the latest course first.
    const [courseList] = await this.courses.findPage({ idIn: this.enrollments.courseIdsOf(userId), publishedOnly: true, skip: 0, take: ALL });
    const enrolments = await this.enrollments.findByLearner(userId);
    const activities = await this.activities(userId, courseList);
    const credits = await this.credits.findByLearner(userId);
    const courses = [];
    for (const c of courseList) {
      const e = enrolments.get(c.id)!;
      courses.push({
        course: { id: c.id, title: c.title, status: c.status, startsAt: c.startsAt, endsAt: c.endsAt },
        enrollment: { status: e.status, enrolledAt: e.enrolledAt, withdrawnAt: e.withdrawnAt },
        summary: await this.progress.summary(c.id, userId),
        activities: activities.filter((a) => a.courseId === c.id).map(({ courseId: _courseId, percent: _percent, ...a }): RecordActivity => a),
      });
    }
    return {
      user: { id: String(user.id), username: user.username, name: user.name },
      courses,
      credits: credits.map((c) => ({ ...c, courseId: String(c.courseId), activityId: c.activityId === null ? null : String(c.activityId), hours: Number(c.hours) })),
    };
  }

  /** The record as a spreadsheet: one row per activity of every course. */
  async recordCsv(userId: string): Promise<string> {
    const record = await this.record(userId);
    const time = (d: Date | null) => (d ? shanghai.format(new Date(d)) : '');
    const rows = record.courses.flatMap((c) =>
      c.activities.map((a) => [
        c.course.title,
        a.section,
        a.title,
        TYPE_NAMES[a.type] ?? a.type,
        a.required ? '必修' : '选修',
        a.creditHours,
        time(a.dueAt),
        a.standing === 'open' ? STATE_NAMES[a.state] : STANDING_NAMES[a.standing],
        time(a.startedAt),
        time(a.completedAt),
        a.madeUp ? '是' : '',
        time(a.makeUpUntil),
      ]),
    );
    return toExcelCsv(['培训班', '单元', '学习任务', '类型', '必修/选修', '学时', '截止时间', '状态', '开始时间', '完成时间', '补学', '可补学至'], rows);
  }
}
