import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser, adminUnitScope } from '../common/auth-user';
import { Page } from '../common/pagination';
import { CourseAccessService } from '../access/course-access.service';
import type { Course } from '../courses/course.entity';
import { beijingWeekStart } from '../progress/progress.service';
import { courseClosesAt } from '../access/work-window';
import { BranchRankingQuery, LearnerFilterQuery, LearnerSort } from './dto/report-query.dto';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface RateRow {
  enrolled: number;
  completed: number;
  rate: number;
}
/**
 * Average progress of the active learners (0..1, or null when the course asks for none): `required`, the
 * share of required activities done; `creditHours`, 学时 earned against the course's requirement (each
 * learner counted up to 100 %).
 */
export interface AverageProgress {
  required: number | null;
  creditHours: number | null;
}
export interface UnitRow extends RateRow {
  unitId: string | null;
  name: string;
  progress: AverageProgress;
}
export interface BranchRow extends RateRow {
  progress: AverageProgress;
  branchId: string | null;
  unitId: string | null;
  name: string;
  unit: string;
}
export interface ActivityRow {
  activityId: string;
  title: string;
  type: string;
  required: boolean;
  dueAt: Date | null;
  done: number;
  rate: number;
  /** Learners in scope who have not done it although its due date has passed (0 before the due date). */
  overdue: number;
}
export interface CompletionReport extends RateRow {
  courseId: string;
  /** `snapshot`: the frozen results of a closed course; `live`: the stored summaries. */
  source: 'live' | 'snapshot';
  unitId: string | null;
  byUnit: UnitRow[];
  byBranch: BranchRow[];
  byActivity: ActivityRow[];
  creditHours: { from: number; to: number; learners: number }[];
  weekly: { week: number; endsAt: Date; completed: number; rate: number }[];
  overdue: { activities: number; missing: number };
  progress: ProgressFigures;
  /** Per unit: learners with at least one required activity past its due time not done, and how many such items (make-up time not taken into account). */
  overdueByUnit: { unitId: string | null; name: string; enrolled: number; learnersOverdue: number; overdueItems: number }[];
}
export const PROGRESS_BUCKETS = [
  { key: '0', from: 0, to: 0 },
  { key: '1-25', from: 1, to: 25 },
  { key: '26-50', from: 26, to: 50 },
  { key: '51-75', from: 51, to: 75 },
  { key: '76-99', from: 76, to: 99 },
  { key: '100', from: 100, to: 100 },
] as const;
export interface ProgressFigures {
  /** Anyone in scope has done anything that counts (a required activity, 学时, completion). */
  started: boolean;
  requiredTotal: number;
  requiredCreditHours: number;
  average: AverageProgress;
  /** Learners by progress (required share; 学时 share when nothing is required), in percent bands. */
  distribution: { bucket: (typeof PROGRESS_BUCKETS)[number]['key']; from: number; to: number; learners: number }[];
  /** The average required progress at the end of each Beijing week (Monday to Sunday) of the period so far. */
  weekly: { weekStart: string; required: number | null }[];
  /** Whether branches differ in average progress or completion rate: rank them only then. */
  branchesDiffer: boolean;
  unitsDiffer: boolean;
}
export interface LearnerRow {
  userId: string;
  username: string;
  name: string;
  branchId: string | null;
  branch: string | null;
  unitId: string | null;
  unit: string | null;
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  /** How many of the learner's completions were made up (补学) after their due date. */
  madeUpCount: number;
  completed: boolean;
  completedAt: Date | null;
  lastActivityAt: Date | null;
}

/** The course and what the caller may see of it, resolved once per request. */
interface Scope {
  course: Course;
  closed: boolean;
  /** The unit every figure is limited to (a unit admin's own, or the one asked for), or null for all. */
  unitId: string | null;
  branchId: string | null;
}

const SORT_COLUMNS: Record<LearnerSort, string> = {
  name: 'u.name',
  username: 'u.username',
  unit: 'un.name',
  branch: 'b.name',
  requiredDone: 's.required_done',
  creditHours: 's.credit_hours',
  lastActivityAt: 'lp.last_activity_at',
  completedAt: 's.completed_at',
};

/**
 * Department tracking. Every figure comes from stored aggregates: the per-learner course summary
 * (course_progress, or course_results once the course is closed) and the per-activity completion counters
 * the progress engine keeps (activity_done_counts, or activity_done_results once closed). Nothing here reads
 * activity_progress in bulk, so a report makes the same few queries for 10 or 100,000 learners.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CourseAccessService,
  ) {}

  async completion(courseId: string, actor: AuthUser, unitId?: string): Promise<CompletionReport> {
    const scope = await this.scope(courseId, actor, { unitId });
    const byBranch = await this.branchRows(scope);
    const byUnit = unitsOf(byBranch);
    const totals = sumRates(byBranch);
    const activities = await this.activityRows(scope, totals.enrolled);
    const { creditHours, weekly, distribution } = await this.distributionAndTrend(scope, totals.enrolled);
    const pastDue = activities.filter((a) => a.required && a.overdue > 0);
    const requiredTotal = activities.filter((a) => a.required).length;
    const average = averageOf(byBranch);
    return {
      courseId,
      source: scope.closed ? 'snapshot' : 'live',
      unitId: scope.unitId,
      ...totals,
      byUnit,
      byBranch,
      byActivity: activities,
      creditHours,
      weekly,
      overdue: { activities: activities.filter((a) => a.required && isPastDue(a, scope)).length, missing: pastDue.reduce((n, a) => n + a.overdue, 0) },
      progress: {
        started: totals.completed > 0 || byBranch.some((b) => (b.progress.required ?? 0) > 0 || (b.progress.creditHours ?? 0) > 0),
        requiredTotal,
        requiredCreditHours: scope.course.requiredCreditHours,
        average,
        distribution,
        weekly: await this.weeklyProgress(scope, requiredTotal, totals.enrolled),
        branchesDiffer: differ(byBranch),
        unitsDiffer: differ(byUnit),
      },
      overdueByUnit: await this.overdueByUnit(scope, byUnit, activities.filter((a) => a.required && isPastDue(a, scope))),
    };
  }

  async learners(courseId: string, actor: AuthUser, query: LearnerFilterQuery): Promise<Page<LearnerRow>> {
    const scope = await this.scope(courseId, actor, query);
    const filter = await this.learnerFilter(scope, query);
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${filter.from} WHERE ${filter.where}`, filter.params);
    const rows = await this.learnerRows(scope, filter, query, { limit: query.pageSize, offset: query.skip });
    return { items: rows, total: Number(total), page: query.page, pageSize: query.pageSize };
  }

  /** Every learner matching the filters (for exports), in the list's order. */
  async allLearners(courseId: string, actor: AuthUser, query: LearnerFilterQuery): Promise<LearnerRow[]> {
    const scope = await this.scope(courseId, actor, query);
    return this.learnerRows(scope, await this.learnerFilter(scope, query), query, null);
  }

  /**
   * The unit view: the unit's branches ranked by completion rate, each with the names of its learners who
   * are behind; the unit's own standing among the units only as aggregates (rank, count, rates), never
   * other units' names or any individual ranking.
   */
  async branchRanking(courseId: string, actor: AuthUser, query: BranchRankingQuery) {
    const scope = await this.scope(courseId, actor, { unitId: query.unitId });
    const ranked = rankBranches(await this.branchRows(scope));
    const page = ranked.slice(query.skip, query.skip + query.pageSize);
    const ids = page.map((b) => b.branchId).filter((id): id is string => id !== null);
    const behind = new Map<string, { userId: string; username: string; name: string; requiredDone: number }[]>();
    if (ids.length && query.names > 0) {
      const { from, where, params, branch } = this.base(scope, { users: true });
      const rows: { branch_id: string; id: string; username: string; name: string; required_done: number }[] = await this.dataSource.query(
        `SELECT x.branch_id, x.id, x.username, x.name, x.required_done FROM (
           SELECT ${branch} AS branch_id, u.id, u.username, u.name, s.required_done,
                  ROW_NUMBER() OVER (PARTITION BY ${branch} ORDER BY s.required_done, u.username) AS n
             ${from} WHERE ${where} AND s.completed = 0 AND ${branch} IN (?)) x
          WHERE x.n <= ? ORDER BY x.branch_id, x.n`,
        [...params, ids, query.names],
      );
      for (const r of rows) {
        const list = behind.get(String(r.branch_id)) ?? [];
        list.push({ userId: String(r.id), username: r.username, name: r.name, requiredDone: Number(r.required_done) });
        behind.set(String(r.branch_id), list);
      }
    }
    let standing: { rank: number; of: number; rate: number; overallRate: number } | null = null;
    if (scope.unitId !== null) {
      const units = unitsOf(await this.branchRows({ ...scope, unitId: null }));
      const ordered = [...units].sort((a, b) => b.rate - a.rate);
      const own = ordered.findIndex((u) => u.unitId === scope.unitId);
      standing = { rank: own + 1, of: ordered.length, rate: own >= 0 ? ordered[own].rate : 0, overallRate: sumRates(units).rate };
    }
    return {
      courseId,
      source: scope.closed ? 'snapshot' : 'live',
      unitId: scope.unitId,
      unitStanding: standing,
      /** False when every branch has the same completion rate: the list is then not a ranking. */
      ranked: new Set(ranked.map((b) => b.rate)).size > 1,
      items: page.map((b) => ({ ...b, behind: b.branchId ? (behind.get(b.branchId) ?? []) : [] })),
      total: ranked.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The by-unit and by-branch tables (exports). */
  async rateTables(courseId: string, actor: AuthUser, unitId?: string): Promise<{ byUnit: UnitRow[]; byBranch: BranchRow[] }> {
    const scope = await this.scope(courseId, actor, { unitId });
    const byBranch = await this.branchRows(scope);
    return { byUnit: unitsOf(byBranch), byBranch };
  }

  // ---- scope ----

  /**
   * 404 for a course the caller may not see (CourseAccessService), for a unit or branch outside a unit
   * admin's unit, and for unknown ones, so ids reveal nothing.
   */
  private async scope(courseId: string, actor: AuthUser, filter: { unitId?: string; branchId?: string }): Promise<Scope> {
    const { course } = await this.access.manage(courseId, actor);
    const own = adminUnitScope(actor);
    if (own !== null && filter.unitId !== undefined && filter.unitId !== own) throw unitNotFound(filter.unitId);
    let unitId = filter.unitId ?? own;
    if (filter.unitId !== undefined) {
      const [unit] = await this.dataSource.query(`SELECT id FROM units WHERE id = ?`, [filter.unitId]);
      if (!unit) throw unitNotFound(filter.unitId);
    }
    if (filter.branchId !== undefined) {
      const [branch] = await this.dataSource.query(`SELECT unit_id FROM branches WHERE id = ?`, [filter.branchId]);
      if (!branch || (unitId !== null && String(branch.unit_id) !== unitId)) {
        throw new NotFoundException({ message: '党支部不存在', code: 'BRANCH_NOT_FOUND' });
      }
    }
    return { course, closed: course.status === 'closed', unitId, branchId: filter.branchId ?? null };
  }

  /**
   * The learners of the course in scope, one summary row each: the frozen results once the course is
   * closed (only learners active at closing were frozen, grouped by their unit and branch now), otherwise the
   * stored summaries of active learners, which carry their unit and branch themselves, so the figures are an
   * index-only scan of idx_course_progress_report without a join per learner. `users` joins the people
   * (names) for lists.
   */
  private base(scope: Scope, opts: { branch?: boolean; users?: boolean } = {}) {
    const closed = scope.closed;
    const unit = closed ? 'u.unit_id' : 's.unit_id';
    const branch = closed ? 'u.branch_id' : 's.branch_id';
    const from = closed
      ? `FROM course_results s JOIN users u ON u.id = s.user_id`
      : `FROM course_progress s${opts.users ? ' JOIN users u ON u.id = s.user_id' : ''}`;
    const where = closed ? ['s.course_id = ?'] : ['s.course_id = ?', 's.active = 1'];
    const params: unknown[] = [scope.course.id];
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

  // ---- figures ----

  private async branchRows(scope: Scope): Promise<BranchRow[]> {
    const { from, where, params, unit, branch } = this.base(scope);
    const hours = scope.course.requiredCreditHours;
    const rows: {
      branch_id: string | null;
      unit_id: string | null;
      branch: string | null;
      unit: string | null;
      enrolled: string;
      completed: string;
      required_sum: string | null;
      hours_sum: string | null;
    }[] = await this.dataSource.query(
      `SELECT g.branch_id, g.unit_id, b.name AS branch, un.name AS unit, g.enrolled, g.completed, g.required_sum, g.hours_sum
         FROM (SELECT ${unit} AS unit_id, ${branch} AS branch_id, COUNT(*) AS enrolled, SUM(s.completed) AS completed,
                      SUM(${REQUIRED_SHARE}) AS required_sum, SUM(LEAST(1, s.credit_hours / ?)) AS hours_sum
                 ${from} WHERE ${where} GROUP BY ${unit}, ${branch}) g
         LEFT JOIN branches b ON b.id = g.branch_id
         LEFT JOIN units un ON un.id = g.unit_id
        ORDER BY un.name, b.name`,
      [hours > 0 ? hours : null, ...params],
    );
    return rows.map((r) => {
      const enrolled = Number(r.enrolled);
      const row: BranchRow = {
        branchId: r.branch_id === null ? null : String(r.branch_id),
        unitId: r.unit_id === null ? null : String(r.unit_id),
        name: r.branch ?? NO_BRANCH,
        unit: r.unit ?? NO_UNIT,
        ...rate(enrolled, Number(r.completed)),
        progress: progressOf(enrolled, r.required_sum, r.hours_sum),
      };
      PROGRESS_SUMS.set(row, { required: r.required_sum === null ? null : Number(r.required_sum), creditHours: r.hours_sum === null ? null : Number(r.hours_sum) });
      return row;
    });
  }

  /**
   * The average required progress at the end of each Beijing week so far: the required completions counted
   * up to that week (required_done_weeks, a short index range) over required activities × learners now in scope.
   */
  private async weeklyProgress(scope: Scope, requiredTotal: number, learners: number): Promise<ProgressFigures['weekly']> {
    const rows: { week_start: string | Date; done: string }[] = await this.dataSource.query(
      `SELECT week_start, SUM(done) AS done FROM required_done_weeks
        WHERE course_id = ? ${scope.unitId !== null ? 'AND unit_id = ?' : ''} GROUP BY week_start ORDER BY week_start`,
      [scope.course.id, ...(scope.unitId !== null ? [scope.unitId] : [])],
    );
    const byWeek = new Map(rows.map((r) => [typeof r.week_start === 'string' ? r.week_start.slice(0, 10) : dateOnly(r.week_start), Number(r.done)]));
    const end = Math.min(scope.closed ? courseClosesAt(scope.course).getTime() : Date.now(), courseClosesAt(scope.course).getTime());
    const first = beijingWeekStart(scope.course.startsAt);
    const last = beijingWeekStart(new Date(Math.max(end, scope.course.startsAt.getTime())));
    let done = [...byWeek.entries()].filter(([w]) => w < first).reduce((n, [, d]) => n + d, 0);
    const weekly: ProgressFigures['weekly'] = [];
    for (let week = first; week <= last; week = addDays(week, 7)) {
      done += byWeek.get(week) ?? 0;
      if (week === last) for (const [w, d] of byWeek) if (w > last) done += d;
      weekly.push({ weekStart: week, required: requiredTotal > 0 && learners > 0 ? Math.min(1, ratio(done, requiredTotal * learners)) : null });
    }
    return weekly;
  }

  /**
   * Overdue required work by unit. The items come from the per-unit completion counters (learners × past-due
   * required activities − their completions); the learners from the summaries: fewer required activities done
   * than are past due means one is missing, a completed course means none is, and only the learners in
   * between are looked up, one unique-key probe per past-due activity.
   */
  private async overdueByUnit(scope: Scope, byUnit: UnitRow[], pastDue: ActivityRow[]): Promise<CompletionReport['overdueByUnit']> {
    const figures = new Map(byUnit.map((u) => [u.unitId ?? '', { unitId: u.unitId, name: u.name, enrolled: u.enrolled, learnersOverdue: 0, overdueItems: 0 }]));
    if (!pastDue.length || !byUnit.length) return [...figures.values()];
    const ids = pastDue.map((a) => a.activityId);
    const counts = scope.closed ? 'activity_done_results' : 'activity_done_counts';
    const done: { unit_id: string; done: string }[] = await this.dataSource.query(
      `SELECT unit_id, SUM(done) AS done FROM ${counts}
        WHERE course_id = ? AND activity_id IN (?) ${scope.unitId !== null ? 'AND unit_id = ?' : ''} GROUP BY unit_id`,
      [scope.course.id, ids, ...(scope.unitId !== null ? [scope.unitId] : [])],
    );
    for (const row of done) {
      const unit = figures.get(String(row.unit_id) === '0' ? '' : String(row.unit_id));
      if (unit) unit.overdueItems -= Number(row.done);
    }
    for (const unit of figures.values()) unit.overdueItems = Math.max(0, unit.overdueItems + unit.enrolled * ids.length);
    const { from, where, params, unit } = this.base(scope);
    const behind: { unit_id: string | null; n: string }[] = await this.dataSource.query(
      `SELECT ${unit} AS unit_id,
              SUM(CASE WHEN s.required_done < ? THEN 1
                       WHEN s.completed = 1 THEN 0
                       ELSE (SELECT COUNT(*) FROM activity_progress ap
                              WHERE ap.user_id = s.user_id AND ap.activity_id IN (?) AND ap.state = 'completed') < ? END) AS n
         ${from} WHERE ${where} GROUP BY ${unit}`,
      [ids.length, ids, ids.length, ...params],
    );
    for (const row of behind) {
      const figure = figures.get(row.unit_id === null ? '' : String(row.unit_id));
      if (figure) figure.learnersOverdue = Number(row.n);
    }
    return [...figures.values()];
  }

  private async activityRows(scope: Scope, enrolled: number): Promise<ActivityRow[]> {
    const counts = scope.closed ? 'activity_done_results' : 'activity_done_counts';
    const rows: { id: string; title: string; type: string; required: number; due_at: Date | null; done: string | null }[] = await this.dataSource.query(
      `SELECT a.id, a.title, a.type, a.required, a.due_at, d.done
         FROM activities a
         JOIN sections sec ON sec.id = a.section_id
         LEFT JOIN (SELECT activity_id, SUM(done) AS done FROM ${counts}
                     WHERE course_id = ? ${scope.unitId !== null ? 'AND unit_id = ?' : ''} GROUP BY activity_id) d ON d.activity_id = a.id
        WHERE a.course_id = ? AND a.archived_at IS NULL
        ORDER BY sec.position, sec.id, a.position, a.id`,
      [scope.course.id, ...(scope.unitId !== null ? [scope.unitId] : []), scope.course.id],
    );
    return rows.map((r) => {
      const done = Math.min(enrolled, Math.max(0, Number(r.done ?? 0)));
      const row = { activityId: String(r.id), title: r.title, type: r.type, required: Boolean(r.required), dueAt: r.due_at ? new Date(r.due_at) : null };
      return { ...row, done, rate: ratio(done, enrolled), overdue: row.required && isPastDue(row, scope) ? enrolled - done : 0 };
    });
  }

  /** The 学时 histogram (whole hours) and the weekly completion trend, in one pass over the summaries. */
  private async distributionAndTrend(scope: Scope, enrolled: number) {
    const { from, where, params } = this.base(scope);
    const start = scope.course.startsAt;
    const requiredHours = scope.course.requiredCreditHours > 0 ? scope.course.requiredCreditHours : null;
    const rows: { h: number; w: number | null; p: number; n: string }[] = await this.dataSource.query(
      `SELECT FLOOR(s.credit_hours) AS h,
              CASE WHEN s.completed = 1 THEN FLOOR(TIMESTAMPDIFF(SECOND, ?, s.completed_at) / 604800) END AS w,
              CEIL(100 * COALESCE(${REQUIRED_SHARE}, LEAST(1, s.credit_hours / ?), s.completed)) AS p,
              COUNT(*) AS n
         ${from} WHERE ${where} GROUP BY h, w, p`,
      [start, requiredHours, ...params],
    );
    const hours = new Map<number, number>();
    const weeksDone = new Map<number, number>();
    const distribution = PROGRESS_BUCKETS.map((b) => ({ bucket: b.key, from: b.from, to: b.to, learners: 0 }));
    for (const r of rows) {
      const n = Number(r.n);
      hours.set(Number(r.h), (hours.get(Number(r.h)) ?? 0) + n);
      if (r.w !== null) weeksDone.set(Number(r.w), (weeksDone.get(Number(r.w)) ?? 0) + n);
      // CEIL keeps 0 % apart from "a little" and 100 % apart from "almost".
      distribution.find((b) => Number(r.p) <= b.to)!.learners += n;
    }
    const creditHours = [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([h, learners]) => ({ from: h, to: h + 1, learners }));

    // Weeks of the period up to now (the whole period plus 补学 once closed); the last week may be short.
    const end = Math.min(scope.closed ? courseClosesAt(scope.course).getTime() : Date.now(), courseClosesAt(scope.course).getTime());
    const weekCount = Math.max(1, Math.ceil((end - start.getTime()) / WEEK_MS));
    const weekly = [];
    let completed = 0;
    for (const [w, n] of weeksDone) if (w < 0) completed += n; // completed before the period began
    for (let i = 0; i < weekCount; i += 1) {
      completed += weeksDone.get(i) ?? 0;
      if (i === weekCount - 1) for (const [w, n] of weeksDone) if (w >= weekCount) completed += n;
      weekly.push({ week: i + 1, endsAt: new Date(Math.min(start.getTime() + (i + 1) * WEEK_MS, end)), completed, rate: ratio(completed, enrolled) });
    }
    return { creditHours, weekly, distribution };
  }

  // ---- learner list ----

  private async learnerFilter(scope: Scope, query: LearnerFilterQuery) {
    const base = this.base(scope, { branch: true, users: Boolean(query.q) });
    let where = base.where;
    const params = [...base.params];
    if (query.status === 'behind') where += ' AND s.completed = 0';
    if (query.status === 'completed') where += ' AND s.completed = 1';
    if (query.q) {
      where += ` AND (u.name LIKE ? OR u.username LIKE ?)`;
      const q = query.q.replace(/[\\%_]/g, (c) => `\\${c}`);
      params.push(`%${q}%`, `${q}%`);
    }
    if (query.activityId) {
      const [activity] = await this.dataSource.query(`SELECT id FROM activities WHERE id = ? AND course_id = ?`, [query.activityId, scope.course.id]);
      if (!activity) throw new NotFoundException({ message: '该学习任务不属于本培训班', code: 'ACTIVITY_NOT_FOUND' });
      // One unique-key probe per candidate learner, never a scan or a GROUP BY of the activity states.
      where += ` AND NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = ? AND ap.user_id = s.user_id AND ap.state = 'completed')`;
      params.push(query.activityId);
    }
    return { from: base.from, where, params, unit: base.unit, branch: base.branch };
  }

  private async learnerRows(
    scope: Scope,
    filter: { where: string; params: unknown[]; unit: string; branch: string },
    query: LearnerFilterQuery,
    page: { limit: number; offset: number } | null,
  ): Promise<LearnerRow[]> {
    const { where, params, unit, branch } = filter;
    const { from } = this.base(scope, { users: true });
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT u.id, u.username, u.name, ${branch} AS branch_id, b.name AS branch, ${unit} AS unit_id, un.name AS unit,
              s.required_done, s.required_total, s.credit_hours, s.made_up_count, s.completed, s.completed_at, lp.last_activity_at
         ${from}
         LEFT JOIN course_progress lp ON lp.course_id = s.course_id AND lp.user_id = s.user_id
         LEFT JOIN branches b ON b.id = ${branch}
         LEFT JOIN units un ON un.id = ${unit}
        WHERE ${where}
        ORDER BY ${SORT_COLUMNS[query.sort]} ${direction}, u.username ${direction}
        ${page ? 'LIMIT ? OFFSET ?' : ''}`,
      page ? [...params, page.limit, page.offset] : params,
    );
    return rows.map((r) => ({
      userId: String(r.id),
      username: String(r.username),
      name: String(r.name),
      branchId: r.branch_id === null ? null : String(r.branch_id),
      branch: (r.branch as string | null) ?? null,
      unitId: r.unit_id === null ? null : String(r.unit_id),
      unit: (r.unit as string | null) ?? null,
      requiredDone: Number(r.required_done),
      requiredTotal: Number(r.required_total),
      creditHours: Number(r.credit_hours),
      madeUpCount: Number(r.made_up_count),
      completed: Boolean(Number(r.completed)),
      completedAt: r.completed_at ? new Date(r.completed_at as string) : null,
      lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at as string) : null,
    }));
  }
}

export const NO_BRANCH = '（未分配支部）';
export const NO_UNIT = '（未分配单位）';

function unitNotFound(unitId: string): NotFoundException {
  return new NotFoundException({ message: '二级党组织不存在', code: 'UNIT_NOT_FOUND' });
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 10000) / 10000 : 0;
}

function rate(enrolled: number, completed: number): RateRow {
  return { enrolled, completed, rate: ratio(completed, enrolled) };
}

function sumRates(rows: RateRow[]): RateRow {
  return rate(rows.reduce((n, r) => n + r.enrolled, 0), rows.reduce((n, r) => n + r.completed, 0));
}

function unitsOf(branches: BranchRow[]): UnitRow[] {
  const units = new Map<string, BranchRow[]>();
  for (const b of branches) units.set(b.unitId ?? '', [...(units.get(b.unitId ?? '') ?? []), b]);
  return [...units.values()].map((rows) => {
    const sums = sumRates(rows);
    return { unitId: rows[0].unitId, name: rows[0].unit, ...sums, progress: averageOf(rows) };
  });
}

/** The exact sums behind a branch row's averages, kept beside the row (not sent) so units and totals add them up. */
const PROGRESS_SUMS = new WeakMap<BranchRow, { required: number | null; creditHours: number | null }>();

/** Each learner's share of required activities done (null when the course requires none), in SQL over `s`. */
const REQUIRED_SHARE = `CASE WHEN s.required_total > 0 THEN LEAST(1, s.required_done / s.required_total) END`;

function progressOf(enrolled: number, requiredSum: string | number | null, hoursSum: string | number | null): AverageProgress {
  return {
    required: requiredSum === null || enrolled === 0 ? null : ratio(Number(requiredSum), enrolled),
    creditHours: hoursSum === null || enrolled === 0 ? null : ratio(Number(hoursSum), enrolled),
  };
}

/** The average over the learners of several groups, from their exact sums (not an average of averages). */
function averageOf(rows: BranchRow[]): AverageProgress {
  const enrolled = rows.reduce((n, r) => n + r.enrolled, 0);
  const sum = (key: 'required' | 'creditHours') =>
    rows.some((r) => (PROGRESS_SUMS.get(r)?.[key] ?? null) !== null) ? rows.reduce((n, r) => n + (PROGRESS_SUMS.get(r)?.[key] ?? 0), 0) : null;
  return progressOf(enrolled, sum('required'), sum('creditHours'));
}

/** True when the rows differ in completion rate or average progress: a ranking of equals would say nothing. */
function differ(rows: Array<RateRow & { progress: AverageProgress }>): boolean {
  const key = (r: RateRow & { progress: AverageProgress }) => `${r.rate}:${r.progress.required}:${r.progress.creditHours}`;
  return new Set(rows.map(key)).size > 1;
}

function dateOnly(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Highest rate first; equal rates share a rank (1, 1, 3), listed by more learners, then name, so the order is stable. */
export function rankBranches(rows: BranchRow[]): (BranchRow & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.rate - a.rate || b.enrolled - a.enrolled || a.name.localeCompare(b.name, 'zh-CN'));
  return sorted.map((row) => ({ ...row, rank: sorted.findIndex((r) => r.rate === row.rate) + 1 }));
}

/** Due and passed: by now, or by closing for a closed course. */
function isPastDue(activity: { dueAt: Date | null }, scope: Scope): boolean {
  if (!activity.dueAt) return false;
  const now = scope.closed && scope.course.closedAt ? scope.course.closedAt.getTime() : Date.now();
  return activity.dueAt.getTime() < now;
}
