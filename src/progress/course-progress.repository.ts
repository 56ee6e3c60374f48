import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Subquery } from '../database/subquery';
import { courseRows } from './course-rows.repository';
import type { LearnerFigures } from '../enrollments/learner-figures';
import { COMPLETE_SQL, completeParams } from './course-completion';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';

/** A learner's copies of enrolment status, unit and branch in one course's summary. */
export interface LearnerCopies {
  course_id: string;
  user_id: string;
  active: number;
  unit_id: string | null;
  branch_id: string | null;
}

/** A course's minimums, which completion is judged by. */
type Minimums = { requiredCreditHours: number; requiredSessions: number };

/** The course_progress table (each learner's stored summary of a course) and course_results (the frozen ones). */
@Injectable()
export class CourseProgressRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  findSummary(courseId: string, userId: string): Promise<CourseProgress | null> {
    return this.manager().findOneBy(CourseProgress, { courseId, userId });
  }

  findResult(courseId: string, userId: string): Promise<CourseResult | null> {
    return this.manager().findOneBy(CourseResult, { courseId, userId });
  }

  /** The learner's summaries in these courses, by course id. */
  async findSummariesOf(userId: string, courseIds: string[]): Promise<Map<string, CourseProgress>> {
    if (!courseIds.length) return new Map();
    const rows = await this.manager().findBy(CourseProgress, { userId, courseId: In(courseIds) });
    return new Map(rows.map((row) => [String(row.courseId), row]));
  }

  /** The learner's frozen results in these (closed) courses, by course id. */
  async findResultsOf(userId: string, courseIds: string[]): Promise<Map<string, CourseResult>> {
    if (!courseIds.length) return new Map();
    const rows = await this.manager().findBy(CourseResult, { userId, courseId: In(courseIds) });
    return new Map(rows.map((row) => [String(row.courseId), row]));
  }

  lockSummary(courseId: string, userId: string, manager: EntityManager): Promise<CourseProgress | null> {
    return manager
      .createQueryBuilder(CourseProgress, 'cp')
      .setLock('pessimistic_write')
      .where('cp.course_id = :courseId AND cp.user_id = :userId', { courseId, userId })
      .getOne();
  }

  async updateSummary(summary: CourseProgress, manager: EntityManager): Promise<void> {
    await manager.update(
      CourseProgress,
      { courseId: summary.courseId, userId: summary.userId },
      {
        requiredDone: summary.requiredDone,
        creditHours: summary.creditHours,
        sessionsAttended: summary.sessionsAttended,
        madeUpCount: summary.madeUpCount,
        lastActivityAt: summary.lastActivityAt,
        completed: summary.completed,
        completedAt: summary.completedAt,
        firstMissingDueAt: summary.firstMissingDueAt,
      },
    );
  }

  /** The earliest due date in `dated` (ActivitiesRepository.requiredDueDates) the learner has not completed. */
  async firstMissingDueOf(userId: string, dated: Subquery, manager: EntityManager): Promise<Date | null> {
    const [row] = await manager.query(`SELECT (${firstMissingDue(dated, '?')}) AS due`, [...dated.params, userId]);
    return row?.due ? new Date(row.due) : null;
  }

  /** Whether a stored completion of the course disagrees with the course's minimums now. */
  async existsCompletionOtherThan(courseId: string, minimums: Minimums, manager: EntityManager): Promise<boolean> {
    const [stale] = await manager.query(`SELECT 1 FROM course_progress WHERE course_id = ? AND completed <> (${COMPLETE_SQL}) LIMIT 1`, [
      courseId,
      ...completeParams(minimums),
    ]);
    return Boolean(stale);
  }

  async existsRequiredTotalOtherThan(courseId: string, total: number, manager: EntityManager): Promise<boolean> {
    const [moved] = await manager.query(`SELECT 1 FROM course_progress WHERE course_id = ? AND required_total <> ? LIMIT 1`, [courseId, total]);
    return Boolean(moved);
  }

  async countByCourse(courseId: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT COUNT(*) AS n FROM course_progress WHERE course_id = ?`, [courseId]);
    return Number(row.n);
  }

  /**
   * Every learner's figures of one course from the activity states and the 学时 ledger, in one set-based
   * statement; `activities` gives the course's activities as `id, counts_required, is_session`.
   */
  async recomputeFigures(courseId: string, total: number, activities: Subquery, manager: EntityManager): Promise<void> {
    const states = await courseRows(manager, 'activity_progress', 'ap', courseId);
    const ledger = await courseRows(manager, 'credit_entries', 'ce', courseId);
    await manager.query(
      `UPDATE course_progress cp
         LEFT JOIN (
           SELECT ap.user_id,
                  SUM(ap.state = 'completed' AND a.counts_required = 1) AS done,
                  SUM(ap.state = 'completed' AND a.is_session = 1) AS sessions,
                  SUM(ap.state = 'completed' AND ap.made_up = 1) AS made_up,
                  MAX(CASE WHEN ap.state = 'completed' AND (a.counts_required = 1 OR ? = 0)
                           THEN ap.completed_at END) AS last_completion,
                  MAX(ap.last_event_at) AS last_event
             FROM ${states.from} STRAIGHT_JOIN (${activities.sql}) a ON a.id = ap.activity_id
            WHERE ${states.where} GROUP BY ap.user_id) s ON s.user_id = cp.user_id
         LEFT JOIN (SELECT ce.user_id, SUM(ce.hours) AS hours FROM ${ledger.from} WHERE ${ledger.where} GROUP BY ce.user_id) h
           ON h.user_id = cp.user_id
          SET cp.required_done = COALESCE(s.done, 0),
              cp.sessions_attended = COALESCE(s.sessions, 0),
              cp.made_up_count = COALESCE(s.made_up, 0),
              cp.credit_hours = COALESCE(h.hours, 0),
              cp.required_total = ?,
              cp.last_activity_at = s.last_event,
              cp.completed_at = s.last_completion
        WHERE cp.course_id = ?`,
      [total, ...activities.params, ...states.params, ...ledger.params, total, courseId],
    );
  }

  /**
   * The earliest due date among the required activities each learner of the course has not completed; `dated`
   * gives the course's required activities with a due date as `id, due_at` (ActivitiesRepository.requiredDueDates).
   * Up to 63 of them, in one pass over the course's completed states: each dated activity is a bit (in due-date
   * order), each learner's completions a mask, and the first zero bit of the mask names the date. Probing every
   * learner's states once per activity took ~25 s at 100,000 learners; more than 63 dated activities still do.
   */
  async recomputeFirstMissingDue(courseId: string, dated: Subquery, manager: EntityManager): Promise<void> {
    const [{ n }] = await manager.query(`SELECT COUNT(*) AS n FROM (${dated.sql}) d`, dated.params);
    if (Number(n) > 63) {
      await manager.query(`UPDATE course_progress cp SET cp.first_missing_due_at = (${firstMissingDue(dated, 'cp.user_id')}) WHERE cp.course_id = ?`, [
        ...dated.params,
        courseId,
      ]);
      return;
    }
    const states = await courseRows(manager, 'activity_progress', 'ap', courseId);
    const ranked = `SELECT d.id, d.due_at, ROW_NUMBER() OVER (ORDER BY d.due_at, d.id) - 1 AS place FROM (${dated.sql}) d`;
    await manager.query(
      `UPDATE course_progress cp
         LEFT JOIN (SELECT ap.user_id, BIT_OR(1 << r.place) AS done
                      FROM ${states.from} STRAIGHT_JOIN (${ranked}) r ON r.id = ap.activity_id
                     WHERE ${states.where} AND ap.state = 'completed' GROUP BY ap.user_id) m ON m.user_id = cp.user_id
         LEFT JOIN (${ranked}) fd ON fd.place = BIT_COUNT((~COALESCE(m.done, 0) & (COALESCE(m.done, 0) + 1)) - 1)
          SET cp.first_missing_due_at = fd.due_at
        WHERE cp.course_id = ?`,
      [...dated.params, ...states.params, ...dated.params, courseId],
    );
  }

  /** Every learner's completion of the course by its minimums (the rule of isComplete, set-based). */
  async recomputeCompletion(courseId: string, minimums: Minimums, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE course_progress
          SET completed = (${COMPLETE_SQL}),
              completed_at = CASE WHEN (${COMPLETE_SQL}) THEN completed_at ELSE NULL END
        WHERE course_id = ?`,
      [...completeParams(minimums), ...completeParams(minimums), courseId],
    );
  }

  /**
   * Freezes the summaries of the course's learners `placements` gives as active
   * (EnrollmentsRepository.placements) as its final results; returns how many.
   */
  async freezeResults(courseId: string, placements: Subquery, manager: EntityManager): Promise<number> {
    const result = await manager.query(
      `INSERT IGNORE INTO course_results (course_id, user_id, required_done, required_total, credit_hours, sessions_attended, made_up_count, completed, completed_at, first_missing_due_at)
       SELECT cp.course_id, cp.user_id, cp.required_done, cp.required_total, cp.credit_hours, cp.sessions_attended, cp.made_up_count, cp.completed, cp.completed_at, cp.first_missing_due_at
         FROM course_progress cp JOIN (${placements.sql}) m ON m.course_id = cp.course_id AND m.user_id = cp.user_id AND m.active = 1
        WHERE cp.course_id = ?`,
      [...placements.params, courseId],
    );
    return result.affectedRows as number;
  }

  /**
   * Creates the missing summary rows of the learners `placements` gives (EnrollmentsRepository.placements),
   * with their enrolment status, unit and branch, and the first due date they miss (`dated`: the course's
   * required activities with a due date, as in recomputeFirstMissingDue — the earliest of them for a learner
   * with nothing completed, worked out from the states otherwise; null leaves it to a recompute that follows).
   * Existing rows are left alone.
   */
  async insertMissing(total: number, dated: Subquery | null, placements: Subquery, manager: EntityManager): Promise<void> {
    const firstDue = dated
      ? `CASE WHEN EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.course_id = m.course_id AND ap.user_id = m.user_id AND ap.state = 'completed')
              THEN (${firstMissingDue(dated, 'm.user_id')}) ELSE (SELECT MIN(e.due_at) FROM (${dated.sql}) e) END`
      : 'NULL';
    await manager.query(
      `INSERT IGNORE INTO course_progress (course_id, user_id, required_total, active, unit_id, branch_id, first_missing_due_at)
       SELECT m.course_id, m.user_id, ?, m.active, m.unit_id, m.branch_id, ${firstDue} FROM (${placements.sql}) m
        WHERE NOT EXISTS (SELECT 1 FROM course_progress cp WHERE cp.course_id = m.course_id AND cp.user_id = m.user_id)`,
      [total, ...(dated ? [...dated.params, ...dated.params] : []), ...placements.params],
    );
  }

  /** The course's learners whose copies differ from `placements` (a plain read, no lock). */
  async findStaleLearnerIds(courseId: string, placements: Subquery, manager: EntityManager): Promise<string[]> {
    const stale: { user_id: string }[] = await manager.query(
      `SELECT cp.user_id FROM course_progress cp
         JOIN (${placements.sql}) m ON m.course_id = cp.course_id AND m.user_id = cp.user_id
        WHERE cp.course_id = ?
          AND (cp.active <> m.active OR NOT (cp.unit_id <=> m.unit_id) OR NOT (cp.branch_id <=> m.branch_id))`,
      [...placements.params, courseId],
    );
    return stale.map((r) => String(r.user_id));
  }

  /** The learners' copies (in one course, or in all of theirs), locked, in key order. */
  lockCopies(userIds: string[], courseId: string | undefined, manager: EntityManager): Promise<LearnerCopies[]> {
    const course = courseId ? 'AND cp.course_id = ?' : '';
    return manager.query(
      `SELECT cp.course_id, cp.user_id, cp.active, cp.unit_id, cp.branch_id FROM course_progress cp
        WHERE cp.user_id IN (?) ${course} ORDER BY cp.course_id, cp.user_id FOR UPDATE`,
      courseId ? [userIds, courseId] : [userIds],
    );
  }

  /** What the copies of the summaries these learners have (in one course, or all) should now be, by `placements`. */
  findCurrentCopies(userIds: string[], courseId: string | undefined, placements: Subquery, manager: EntityManager): Promise<LearnerCopies[]> {
    const course = courseId ? 'AND cp.course_id = ?' : '';
    return manager.query(
      `SELECT m.course_id, m.user_id, m.active, m.unit_id, m.branch_id
         FROM course_progress cp
         JOIN (${placements.sql}) m ON m.course_id = cp.course_id AND m.user_id = cp.user_id
        WHERE cp.user_id IN (?) ${course}`,
      [...placements.params, ...(courseId ? [userIds, courseId] : [userIds])],
    );
  }

  async updateCopies(changes: { was: LearnerCopies; is: LearnerCopies }[], manager: EntityManager): Promise<void> {
    for (const { was, is } of changes) {
      await manager.query(`UPDATE course_progress SET active = ?, unit_id = ?, branch_id = ? WHERE course_id = ? AND user_id = ?`, [
        Boolean(is.active),
        is.unit_id,
        is.branch_id,
        was.course_id,
        was.user_id,
      ]);
    }
  }

  // ---- For other modules: subqueries of learners to compose, and figures of a page of learners ----

  /** Learners (`user_id`) who completed the course. */
  completedLearnerIds(courseId: string): Subquery {
    return { sql: `SELECT cp.user_id FROM course_progress cp WHERE cp.course_id = ? AND cp.completed = 1`, params: [courseId] };
  }

  /**
   * Learners (`user_id`) not behind in the course: completed it, or done at least `expectedDone` required
   * activities and missed no due date before `asOf` (their stored first missed due date is not before it).
   * A learner without a summary row has done nothing.
   */
  onTrackIds(courseId: string, expectedDone: number, asOf: Date): Subquery {
    return {
      sql: `SELECT cp.user_id FROM course_progress cp
             WHERE cp.course_id = ? AND (cp.completed = 1 OR (cp.required_done >= ? AND (cp.first_missing_due_at IS NULL OR cp.first_missing_due_at >= ?)))`,
      params: [courseId, expectedDone, asOf],
    };
  }

  /** `user_id, credit_hours, completed_at` of the learners the frozen results of a closed course say completed it. */
  completedResults(courseId: string): Subquery {
    return { sql: `SELECT r.user_id, r.credit_hours, r.completed_at FROM course_results r WHERE r.course_id = ? AND r.completed = 1`, params: [courseId] };
  }

  /** The same from live progress, limited to the learners `among` selects (ids, one column). */
  completedLive(courseId: string, among: Subquery): Subquery {
    return {
      sql: `SELECT p.user_id, p.credit_hours, p.completed_at FROM course_progress p WHERE p.course_id = ? AND p.completed = 1 AND p.user_id IN (${among.sql})`,
      params: [courseId, ...among.params],
    };
  }

  /** These learners' summary figures in one course, by user id (absent: no summary yet). */
  async figuresOf(courseId: string, userIds: string[]): Promise<Map<string, LearnerFigures>> {
    if (!userIds.length) return new Map();
    const rows: Record<string, unknown>[] = await this.manager().query(
      `SELECT user_id AS userId, required_done AS requiredDone, required_total AS requiredTotal, credit_hours AS creditHours, completed
         FROM course_progress WHERE course_id = ? AND user_id IN (?)`,
      [courseId, userIds],
    );
    return new Map(
      rows.map((r) => [
        String(r.userId),
        { requiredDone: Number(r.requiredDone), requiredTotal: Number(r.requiredTotal), creditHours: Number(r.creditHours), completed: Boolean(r.completed) },
      ]),
    );
  }

  /** Each learner's active enrolments among these courses: how many, how many completed, and the 学时 earned. */
  async trainingOf(userIds: string[], courseIds: string[]): Promise<Map<string, { enrolled: number; completed: number; hours: number }>> {
    const figures = new Map<string, { enrolled: number; completed: number; hours: number }>();
    if (!userIds.length || !courseIds.length) return figures;
    const rows: { user_id: string; enrolled: string; completed: string; hours: string }[] = await this.dataSource.query(
      `SELECT user_id, COUNT(*) AS enrolled, SUM(completed) AS completed, SUM(credit_hours) AS hours
         FROM course_progress WHERE user_id IN (?) AND course_id IN (?) AND active = 1
        GROUP BY user_id`,
      [userIds, courseIds],
    );
    for (const r of rows) figures.set(String(r.user_id), { enrolled: Number(r.enrolled), completed: Number(r.completed), hours: Number(r.hours) });
    return figures;
  }
}

/** The earliest due date in `dated` (`id, due_at`) that the learner `userColumn` has not completed. */
function firstMissingDue(dated: Subquery, userColumn: string): string {
  return `SELECT MIN(d.due_at) FROM (${dated.sql}) d
           WHERE NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = d.id AND ap.user_id = ${userColumn} AND ap.state = 'completed')`;
}
