import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CELL_KIND } from '../progress/course-figures.entity';

/**
 * A declared read model: the SQL of department tracking over other modules' tables (the per-learner course
 * summaries and activity counters of progress, the people, units and branches, the activities), for
 * reporting only — nothing here writes, and no other module reads these tables this way. Every figure
 * comes from stored aggregates: the kept report figures of an open course (course_branch_figures and
 * course_unit_cells, a few thousand rows whatever the class size, see CourseFigureBasis), or else the
 * summaries, course_progress (course_results once the course is closed); and the per-activity completion
 * counters (activity_done_counts, or activity_done_results once closed). Nothing reads activity_progress in
 * bulk, so a report makes the same few queries for 10 or 100,000 learners.
 */

/** The course and what the caller may see of it. */
export interface ReportScope {
  courseId: string;
  closed: boolean;
  /** The unit every figure is limited to, or null for all. */
  unitId: string | null;
  branchId: string | null;
}

export interface BranchSums {
  branchId: string | null;
  unitId: string | null;
  branch: string | null;
  unit: string | null;
  enrolled: number;
  completed: number;
  /** Sum over the learners of their share of required activities done (null when the course requires none). */
  requiredSum: number | null;
  /** Sum over the learners of their 学时 share, each capped at 1; null when the course asks for none. */
  hoursSum: number | null;
  /** Learners who have not completed and missed a required activity's due date before `asOf`. */
  overdueLearners: number;
}

export interface ActivityCount {
  id: string;
  title: string;
  type: string;
  required: boolean;
  dueAt: Date | null;
  done: number;
}

/**
 * Learners by whole 学时, by week of completion since the start (completed ones), by progress percent; and,
 * from the kept figures, the learners overdue by unit ('0': none; null when the branch sums counted them).
 */
export interface Histograms {
  hours: Map<number, number>;
  weeks: Map<number, number>;
  percents: Map<number, number>;
  overdueByUnit: Map<string, number> | null;
}

/** The kept figures' basis (see keptBasis). */
export interface KeptBasis {
  requiredTotal: number;
  requiredCreditHours: number;
}

/** Each learner's share of required activities done (null when the course requires none), in SQL over `s`. */
export const REQUIRED_SHARE = `CASE WHEN s.required_total > 0 THEN LEAST(1, s.required_done / s.required_total) END`;
/** The same as a double, for sums over many learners (decimal division costs more, and the sums are rounded). */
const REQUIRED_SHARE_DOUBLE = `CASE WHEN s.required_total > 0 THEN LEAST(1e0, s.required_done / (s.required_total + 0e0)) END`;

@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async unitExists(unitId: string): Promise<boolean> {
    const [unit] = await this.dataSource.query(`SELECT id FROM units WHERE id = ?`, [unitId]);
    return Boolean(unit);
  }

  /** The branch's unit; undefined when there is no such branch. */
  async unitOfBranch(branchId: string): Promise<string | null | undefined> {
    const [branch] = await this.dataSource.query(`SELECT unit_id FROM branches WHERE id = ?`, [branchId]);
    if (!branch) return undefined;
    return branch.unit_id === null ? null : String(branch.unit_id);
  }

  async activityInCourse(activityId: string, courseId: string): Promise<boolean> {
    const [activity] = await this.dataSource.query(`SELECT id FROM activities WHERE id = ? AND course_id = ?`, [activityId, courseId]);
    return Boolean(activity);
  }

  /**
   * The basis of the course's kept figures (CourseFigureBasis), if they were counted by the course's settings
   * now (`requiredCreditHours`, `startsAt`, and the required activities counted here); null otherwise, and
   * then the report aggregates the summaries itself. Never for a closed course: its figures are its results.
   */
  async keptBasis(scope: ReportScope, requiredCreditHours: number, startsAt: Date): Promise<KeptBasis | null> {
    if (scope.closed) return null;
    const [row] = await this.dataSource.query(
      `SELECT b.required_total, b.required_credit_hours, b.starts_at,
              (SELECT COUNT(*) FROM activities a WHERE a.course_id = b.course_id AND a.required = 1 AND a.archived_at IS NULL) AS required_now
         FROM course_figure_bases b WHERE b.course_id = ?`,
      [scope.courseId],
    );
    if (!row) return null;
    const basis = { requiredTotal: Number(row.required_total), requiredCreditHours: Number(row.required_credit_hours) };
    const holds =
      basis.requiredTotal === Number(row.required_now) && basis.requiredCreditHours === requiredCreditHours && new Date(row.starts_at).getTime() === startsAt.getTime();
    return holds ? basis : null;
  }

  /**
   * Learners, completions, progress sums and overdue learners (as of `asOf`: their first missed due date,
   * CourseProgress.firstMissingDueAt, is before it) by branch (with unit), ordered by unit and branch name
   * (no unit, then no branch, first), aggregated from the summaries. Or, with `kept` (keptBasis), read from
   * the kept per-branch figures, without the overdue learners (keptHistograms has them by unit).
   */
  async branchSums(scope: ReportScope, requiredCreditHours: number, asOf: Date, kept: KeptBasis | null): Promise<BranchSums[]> {
    const [rows, units, branches] = await Promise.all([kept ? this.keptBranchRows(scope, kept) : this.liveBranchRows(scope, requiredCreditHours, asOf), ...this.names(scope)]);
    return withNames(rows, units, branches);
  }

  private async liveBranchRows(scope: ReportScope, requiredCreditHours: number, asOf: Date): Promise<BranchSumsRow[]> {
    const { from, where, params, unit, branch } = summaries(scope);
    const rows: Record<string, string | null>[] = await this.dataSource.query(
      // Shares summed as doubles (1e0): a fifth cheaper than decimal division over 100,000 rows.
      `SELECT ${unit} AS unit_id, ${branch} AS branch_id, COUNT(*) AS enrolled, SUM(s.completed) AS completed,
              SUM(${REQUIRED_SHARE_DOUBLE}) AS required_sum, SUM(LEAST(1e0, s.credit_hours / (? + 0e0))) AS hours_sum,
              SUM(s.completed = 0 AND s.first_missing_due_at < ?) AS overdue
         ${from} WHERE ${where} GROUP BY ${unit}, ${branch}`,
      [requiredCreditHours > 0 ? requiredCreditHours : null, asOf, ...params],
    );
    return rows.map((r) => ({
      unitId: r.unit_id === null ? null : String(r.unit_id),
      branchId: r.branch_id === null ? null : String(r.branch_id),
      enrolled: Number(r.enrolled),
      completed: Number(r.completed),
      requiredSum: r.required_sum === null ? null : Number(r.required_sum),
      hoursSum: r.hours_sum === null ? null : Number(r.hours_sum),
      overdueLearners: Number(r.overdue ?? 0),
    }));
  }

  /** The kept per-branch figures (course_branch_figures): sums of capped counts, as shares of the basis. */
  private async keptBranchRows(scope: ReportScope, basis: KeptBasis): Promise<BranchSumsRow[]> {
    const rows: Record<string, string>[] = await this.dataSource.query(
      `SELECT unit_id, branch_id, enrolled, completed, required_done, credit_tenths FROM course_branch_figures
        WHERE course_id = ? ${scope.unitId !== null ? 'AND unit_id = ?' : ''} AND enrolled > 0`,
      [scope.courseId, ...(scope.unitId !== null ? [scope.unitId] : [])],
    );
    return rows.map((r) => ({
      unitId: String(r.unit_id) === '0' ? null : String(r.unit_id),
      branchId: String(r.branch_id) === '0' ? null : String(r.branch_id),
      enrolled: Number(r.enrolled),
      completed: Number(r.completed),
      requiredSum: basis.requiredTotal > 0 ? Number(r.required_done) / basis.requiredTotal : null,
      hoursSum: basis.requiredCreditHours > 0 ? Number(r.credit_tenths) / (10 * basis.requiredCreditHours) : null,
      overdueLearners: 0,
    }));
  }

  /**
   * The units and branches in scope in the order of their unique indexes (name; each unit's branches by name),
   * put in place in Node (withNames): joining and sorting 12,500 branches by name in the statement cost ~100 ms.
   */
  private names(scope: ReportScope): [Promise<Named[]>, Promise<Named[]>] {
    const inUnit = scope.unitId !== null;
    return [
      this.dataSource.query(`SELECT id, name FROM units ${inUnit ? 'WHERE id = ?' : ''} ORDER BY name`, inUnit ? [scope.unitId] : []),
      // uq_branches_unit_name: each unit's branches in name order, read from the index.
      this.dataSource.query(`SELECT id, name FROM branches ${inUnit ? 'WHERE unit_id = ?' : ''} ORDER BY unit_id, name`, inUnit ? [scope.unitId] : []),
    ];
  }

  /** Required completions counted by Beijing week (required_done_weeks, a short index range), oldest first. */
  async requiredDoneByWeek(scope: ReportScope): Promise<Array<{ weekStart: string | Date; done: number }>> {
    const rows: { week_start: string | Date; done: string }[] = await this.dataSource.query(
      `SELECT week_start, SUM(done) AS done FROM required_done_weeks
        WHERE course_id = ? ${scope.unitId !== null ? 'AND unit_id = ?' : ''} GROUP BY week_start ORDER BY week_start`,
      [scope.courseId, ...(scope.unitId !== null ? [scope.unitId] : [])],
    );
    return rows.map((r) => ({ weekStart: r.week_start, done: Number(r.done) }));
  }

  /**
   * Completions of the required activities due before `asOf` by unit, from the per-unit counters (unit '0':
   * none); the activities are picked in the statement, so it runs beside the report's other reads.
   */
  async pastDueDoneByUnit(scope: ReportScope, asOf: Date): Promise<Array<{ unitId: string; done: number }>> {
    const rows: { unit_id: string; done: string }[] = await this.dataSource.query(
      `SELECT c.unit_id, SUM(c.done) AS done FROM ${counters(scope)} c
         JOIN activities a ON a.id = c.activity_id AND a.required = 1 AND a.archived_at IS NULL AND a.due_at < ?
        WHERE c.course_id = ? ${scope.unitId !== null ? 'AND c.unit_id = ?' : ''} GROUP BY c.unit_id`,
      [asOf, scope.courseId, ...(scope.unitId !== null ? [scope.unitId] : [])],
    );
    return rows.map((r) => ({ unitId: String(r.unit_id), done: Number(r.done) }));
  }

  /** The course's live activities in plan order, each with its completions in scope (from the counters). */
  async activityCounts(scope: ReportScope): Promise<ActivityCount[]> {
    const rows: { id: string; title: string; type: string; required: number; due_at: Date | null; done: string | null }[] = await this.dataSource.query(
      `SELECT a.id, a.title, a.type, a.required, a.due_at, d.done
         FROM activities a
         JOIN sections sec ON sec.id = a.section_id
         LEFT JOIN (SELECT activity_id, SUM(done) AS done FROM ${counters(scope)}
                     WHERE course_id = ? ${scope.unitId !== null ? 'AND unit_id = ?' : ''} GROUP BY activity_id) d ON d.activity_id = a.id
        WHERE a.course_id = ? AND a.archived_at IS NULL
        ORDER BY sec.position, sec.id, a.position, a.id`,
      [scope.courseId, ...(scope.unitId !== null ? [scope.unitId] : []), scope.courseId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      title: r.title,
      type: r.type,
      required: Boolean(r.required),
      dueAt: r.due_at ? new Date(r.due_at) : null,
      done: Number(r.done ?? 0),
    }));
  }

  /** The courses whose summaries the refresh job keeps in step (published ones). */
  async publishedCourseIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM courses WHERE status = 'published'`);
    return rows.map((r) => String(r.id));
  }

  /**
   * The 学时 histogram, the weeks of completion and the progress percentages, in one pass over the summaries;
   * the overdue learners by unit come with the branch sums.
   */
  async liveHistograms(scope: ReportScope, start: Date, requiredCreditHours: number): Promise<Histograms> {
    const { from, where, params } = summaries(scope);
    const rows: { h: number; w: number | null; p: number; n: string }[] = await this.dataSource.query(
      `SELECT FLOOR(s.credit_hours) AS h,
              CASE WHEN s.completed = 1 THEN FLOOR(TIMESTAMPDIFF(SECOND, ?, s.completed_at) / 604800) END AS w,
              CEIL(100 * COALESCE(${REQUIRED_SHARE}, LEAST(1, s.credit_hours / ?), s.completed)) AS p,
              COUNT(*) AS n
         ${from} WHERE ${where} GROUP BY h, w, p`,
      [start, requiredCreditHours > 0 ? requiredCreditHours : null, ...params],
    );
    const histograms: Histograms = { hours: new Map(), weeks: new Map(), percents: new Map(), overdueByUnit: null };
    const add = (into: Map<number, number>, key: number, n: number) => into.set(key, (into.get(key) ?? 0) + n);
    for (const r of rows) {
      add(histograms.hours, Number(r.h), Number(r.n));
      if (r.w !== null) add(histograms.weeks, Number(r.w), Number(r.n));
      add(histograms.percents, Number(r.p), Number(r.n));
    }
    return histograms;
  }

  /** The same from the kept cells (course_unit_cells), with the learners overdue as of `asOf` by unit ('0': none). */
  async keptHistograms(scope: ReportScope, asOf: Date): Promise<Histograms> {
    const unit = scope.unitId !== null ? 'AND unit_id = ?' : '';
    const unitParam = scope.unitId !== null ? [scope.unitId] : [];
    // One statement: the three histograms by bucket, then the overdue learners by unit (as kind 4's rows).
    const rows: { kind: number; bucket: string | null; unit_id: string | null; n: string }[] = await this.dataSource.query(
      `(SELECT kind, bucket, NULL AS unit_id, SUM(learners) AS n FROM course_unit_cells
         WHERE course_id = ? ${unit} AND kind IN (?) GROUP BY kind, bucket)
       UNION ALL
       (SELECT ${CELL_KIND.firstMissingDue}, NULL, unit_id, SUM(learners) FROM course_unit_cells
         WHERE course_id = ? ${unit} AND kind = ${CELL_KIND.firstMissingDue} AND bucket < TIMESTAMPDIFF(MICROSECOND, '2000-01-01', ?) DIV 1000 GROUP BY unit_id)`,
      [scope.courseId, ...unitParam, [CELL_KIND.hours, CELL_KIND.week, CELL_KIND.percent], scope.courseId, ...unitParam, asOf],
    );
    const histograms: Histograms = { hours: new Map(), weeks: new Map(), percents: new Map(), overdueByUnit: new Map() };
    const into = { [CELL_KIND.hours]: histograms.hours, [CELL_KIND.week]: histograms.weeks, [CELL_KIND.percent]: histograms.percents };
    for (const r of rows) {
      if (Number(r.n) === 0) continue;
      if (Number(r.kind) === CELL_KIND.firstMissingDue) histograms.overdueByUnit!.set(String(r.unit_id), Number(r.n));
      else into[Number(r.kind) as 1 | 2 | 3].set(Number(r.bucket), Number(r.n));
    }
    return histograms;
  }
}

/** A row of BranchSums before the names are put in. */
type BranchSumsRow = Omit<BranchSums, 'branch' | 'unit'>;
type Named = { id: string; name: string };

/** Puts the names in place and orders the rows by unit and branch name (no unit, then no branch, first). */
function withNames(rows: BranchSumsRow[], units: Named[], branches: Named[]): BranchSums[] {
  const unitAt = new Map(units.map((u, i) => [String(u.id), i]));
  const branchAt = new Map(branches.map((b, i) => [String(b.id), i]));
  const order = new Float64Array(rows.length); // unit's place × branches + branch's place; none (-1) first
  const sums: BranchSums[] = rows.map((r, i) => {
    const u = r.unitId === null ? -1 : (unitAt.get(r.unitId) ?? -1);
    const b = r.branchId === null ? -1 : (branchAt.get(r.branchId) ?? -1);
    order[i] = (u + 1) * (branches.length + 1) + b + 1;
    return {
      branchId: r.branchId,
      unitId: r.unitId,
      branch: b < 0 ? null : branches[b].name,
      unit: u < 0 ? null : units[u].name,
      enrolled: r.enrolled,
      completed: r.completed,
      requiredSum: r.requiredSum,
      hoursSum: r.hoursSum,
      overdueLearners: r.overdueLearners,
    };
  });
  return Array.from(sums.keys()).sort((x, y) => order[x] - order[y]).map((i) => sums[i]);
}

/** The counters of completions by activity and unit: live, or frozen once the course closed. */
function counters(scope: ReportScope): string {
  return scope.closed ? 'activity_done_results' : 'activity_done_counts';
}

/**
 * The learners of the course in scope, one summary row each (`s`): the frozen results once the course is
 * closed (only learners active at closing were frozen, grouped by their unit and branch now), otherwise the
 * stored summaries of active learners, which carry their unit and branch themselves, so the figures are an
 * index-only scan of idx_course_progress_report without a join per learner. `users` joins the people
 * (`u`, for names); `branch` also narrows to the scope's branch.
 */
export function summaries(scope: ReportScope, opts: { branch?: boolean; users?: boolean; usersFirst?: boolean } = {}) {
  const closed = scope.closed;
  const unit = closed ? 'u.unit_id' : 's.unit_id';
  const branch = closed ? 'u.branch_id' : 's.branch_id';
  const table = closed ? 'course_results' : 'course_progress';
  // usersFirst (a name search): read the people once in order and probe each one's summary by its key, rather
  // than every summary of the course then its person: 60 ms instead of 270 ms for 王 in a class of 100,000,
  // and bounded by the number of people whatever the course (MariaDB picks the summaries first by itself).
  const from = opts.usersFirst
    ? `FROM users u STRAIGHT_JOIN ${table} s ON s.user_id = u.id`
    : closed || opts.users
      ? `FROM ${table} s JOIN users u ON u.id = s.user_id`
      : `FROM ${table} s`;
  const where = closed ? ['s.course_id = ?'] : ['s.course_id = ?', 's.active = 1'];
  const params: unknown[] = [scope.courseId];
  if (scope.unitId !== null) {
    where.push(`${unit} = ?`);
    params.push(scope.unitId);
  }
  if (opts.branch && scope.branchId !== null) {
    where.push(`${branch} = ?`);
    params.push(scope.branchId);
  }
  return { from, where: where.join(' AND '), params, unit, branch };
}
