import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toExcelCsv } from '../common/csv';
import { ActivityState } from './activity-progress.entity';
import { CourseSummaryView, ProgressService } from './progress.service';

export interface CourseProgressView extends CourseSummaryView {
  activities: { id: string; state: ActivityState; percent: number; startedAt: Date | null; completedAt: Date | null }[];
}

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
const TYPE_NAMES: Record<string, string> = { video: '视频', reading: '阅读', quiz: '测验', discussion: '研讨', session: '集中培训' };
const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });

/** The learner's own views: progress in one course and the learning record (学习档案) across all of them. */
@Injectable()
export class RecordService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly progress: ProgressService,
  ) {}

  /** 404 unless the caller is (or was) enrolled: nobody reads another learner's progress here. */
  async courseProgress(courseId: string, userId: string): Promise<CourseProgressView> {
    const [enrolled] = await this.dataSource.query(
      `SELECT 1 FROM enrollments e JOIN courses c ON c.id = e.course_id WHERE e.course_id = ? AND e.user_id = ? AND c.status <> 'draft'`,
      [courseId, userId],
    );
    const summary = enrolled ? await this.progress.summary(courseId, userId) : null;
    if (!summary) throw new NotFoundException({ message: '培训班不存在', code: 'COURSE_NOT_FOUND' });
    const rows: { id: string; state: ActivityState | null; percent: number | null; startedAt: Date | null; completedAt: Date | null }[] =
      await this.dataSource.query(
        `SELECT a.id, ap.state, ap.percent, ap.started_at AS startedAt, ap.completed_at AS completedAt
           FROM activities a LEFT JOIN activity_progress ap ON ap.activity_id = a.id AND ap.user_id = ?
          WHERE a.course_id = ? AND a.archived_at IS NULL ORDER BY a.position, a.id`,
        [userId, courseId],
      );
    return {
      ...summary,
      activities: rows.map((r) => ({
        id: String(r.id),
        state: r.state ?? 'not_started',
        percent: Number(r.percent ?? 0),
        startedAt: r.startedAt,
        completedAt: r.completedAt,
      })),
    };
  }

  async record(userId: string): Promise<LearningRecord> {
    const [user] = await this.dataSource.query(`SELECT id, username, name FROM users WHERE id = ?`, [userId]);
    const enrollments: { courseId: string; title: string; status: string; startsAt: Date; endsAt: Date; enrollmentStatus: string; enrolledAt: Date; withdrawnAt: Date | null }[] =
      await this.dataSource.query(
        `SELECT c.id AS courseId, c.title, c.status, c.starts_at AS startsAt, c.ends_at AS endsAt,
                e.status AS enrollmentStatus, e.enrolled_at AS enrolledAt, e.withdrawn_at AS withdrawnAt
           FROM enrollments e JOIN courses c ON c.id = e.course_id
          WHERE e.user_id = ? AND c.status <> 'draft' ORDER BY c.starts_at DESC, c.id DESC`,
        [userId],
      );
    const activities: (RecordActivity & { courseId: string })[] = enrollments.length
      ? await this.dataSource.query(
          `SELECT a.course_id AS courseId, a.id, s.title AS section, a.type, a.title, a.required, a.credit_hours AS creditHours, a.due_at AS dueAt,
                  COALESCE(ap.state, 'not_started') AS state, ap.started_at AS startedAt, ap.completed_at AS completedAt
             FROM activities a JOIN sections s ON s.id = a.section_id
             LEFT JOIN activity_progress ap ON ap.activity_id = a.id AND ap.user_id = ?
            WHERE a.course_id IN (?) AND a.archived_at IS NULL
            ORDER BY s.position, s.id, a.position, a.id`,
          [userId, enrollments.map((e) => e.courseId)],
        )
      : [];
    const credits: { courseId: string; activityId: string | null; hours: string; source: 'online' | 'offline'; reason: string; at: Date }[] =
      await this.dataSource.query(
        `SELECT course_id AS courseId, activity_id AS activityId, hours, source, reason, created_at AS at FROM credit_entries WHERE user_id = ? ORDER BY id`,
        [userId],
      );
    const courses = [];
    for (const e of enrollments) {
      courses.push({
        course: { id: String(e.courseId), title: e.title, status: e.status, startsAt: e.startsAt, endsAt: e.endsAt },
        enrollment: { status: e.enrollmentStatus, enrolledAt: e.enrolledAt, withdrawnAt: e.withdrawnAt },
        summary: await this.progress.summary(String(e.courseId), userId),
        activities: activities
          .filter((a) => String(a.courseId) === String(e.courseId))
          .map(({ courseId: _courseId, ...a }) => ({ ...a, id: String(a.id), required: Boolean(a.required), creditHours: Number(a.creditHours) })),
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
        STATE_NAMES[a.state],
        time(a.startedAt),
        time(a.completedAt),
      ]),
    );
    return toExcelCsv(['培训班', '单元', '学习任务', '类型', '必修/选修', '学时', '截止时间', '状态', '开始时间', '完成时间'], rows);
  }
}
