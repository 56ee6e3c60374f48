import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser, adminUnitScope } from '../common/auth-user';
import { Page } from '../common/pagination';
import { CourseAccessService } from '../access/course-access.service';
import type { Course } from '../courses/course.entity';
import { beijingWeekStart } from '../progress/beijing-week';
import { courseClosesAt } from '../access/work-window';
import { BranchRankingQuery, LearnerFilterQuery } from './dto/report-query.dto';
import { LearnerFilter, LearnerRow, ReportLearnersRepository } from './report-learners.repository';
import { ActivityCount, Histograms, KeptBasis, ReportScope, ReportsRepository } from './reports.repository';

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
/**
 * Each branch row's exact sums behind its averages, which units and totals add up, and its overdue learners:
 * kept beside the rows, never sent.
 */
const sumsOf = new WeakMap<BranchRow, BranchSumsKept>();
interface BranchSumsKept {
  required: number | null;
  creditHours: number | null;
  overdueLearners: number;
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
/** The course and what the caller may see of it, resolved once per request. */
interface Scope extends ReportScope {
  course: Course;
}

/**
 * Department tracking, from the read model's stored aggregates (see reports.repository.ts): the figures,
 * rates, rankings and trends are computed here from a few grouped rows, whatever the class size.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly learnerLists: ReportLearnersRepository,
    private readonly access: CourseAccessService,
  ) {}

  async completion(courseId: string, actor: AuthUser, unitId?: string): Promise<CompletionReport> {
    const scope = await this.scope(courseId, actor, { unitId });
    // The kept figures when they were counted by the course's settings now; otherwise two passes over the
    // summaries (by branch; by 学时, week and progress), ~150 ms each at 100,000 learners.
    const kept = await this.keptBasisOf(scope);
    // Independent reads side by side, each on its own pooled connection.
    const [byBranch, counts, histograms, weeks, pastDueDone] = await Promise.all([
      this.branchRows(scope, kept),
      this.reports.activityCounts(scope),
      kept ? this.reports.keptHistograms(scope, asOf(scope)) : this.reports.liveHistograms(scope, scope.course.startsAt, scope.course.requiredCreditHours),
      this.reports.requiredDoneByWeek(scope),
      this.reports.pastDueDoneByUnit(scope, asOf(scope)),
    ]);
    const byUnit = unitsOf(byBranch);
    const totals = sumRates(byBranch);
    const activities = activityRows(counts, totals.enrolled, scope);
    const { creditHours, weekly, distribution } = distributionAndTrend(histograms, scope, totals.enrolled);
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
        weekly: weeklyProgress(weeks, scope, requiredTotal, totals.enrolled),
        branchesDiffer: differ(byBranch),
        unitsDiffer: differ(byUnit),
      },
      overdueByUnit: overdueByUnit(byBranch, byUnit, histograms.overdueByUnit, activities.filter((a) => a.required && isPastDue(a, scope)), pastDueDone),
    };
  }

  async learners(courseId: string, actor: AuthUser, query: LearnerFilterQuery): Promise<Page<LearnerRow>> {
    const scope = await this.scope(courseId, actor, query);
    const filter = await this.learnerFilter(scope, query);
    const total = await this.learnerLists.count(scope, filter);
    const rows = await this.learnerLists.list(scope, filter, { sort: query.sort, direction: query.order }, { limit: query.pageSize, offset: query.skip });
    return { items: rows, total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Every learner matching the filters (for exports), in the list's order, as the consumer reads them. The
   * access check and filter validation happen here, before the first row: a refusal is an ordinary error reply.
   */
  async allLearners(courseId: string, actor: AuthUser, query: LearnerFilterQuery): Promise<AsyncIterable<LearnerRow>> {
    const scope = await this.scope(courseId, actor, query);
    return this.learnerLists.stream(scope, await this.learnerFilter(scope, query), { sort: query.sort, direction: query.order });
  }

  /**
   * The unit view: the unit's branches ranked by completion rate, each with the names of its learners who
   * are behind; the unit's own standing among the units only as aggregates (rank, count, rates), never
   * other units' names or any individual ranking.
   */
  async branchRanking(courseId: string, actor: AuthUser, query: BranchRankingQuery) {
    const scope = await this.scope(courseId, actor, { unitId: query.unitId });
    const kept = await this.keptBasisOf(scope); // the course's, whatever the unit
    const ranked = rankBranches(await this.branchRows(scope, kept));
    const page = ranked.slice(query.skip, query.skip + query.pageSize);
    const ids = page.map((b) => b.branchId).filter((id): id is string => id !== null);
    const behind = new Map<string, { userId: string; username: string; name: string; requiredDone: number }[]>();
    if (ids.length && query.names > 0) {
      for (const r of await this.learnerLists.behindByBranch(scope, ids, query.names)) {
        const list = behind.get(r.branchId) ?? [];
        list.push({ userId: r.userId, username: r.username, name: r.name, requiredDone: r.requiredDone });
        behind.set(r.branchId, list);
      }
    }
    let standing: { rank: number; of: number; rate: number; overallRate: number } | null = null;
    if (scope.unitId !== null) {
      const units = unitsOf(await this.branchRows({ ...scope, unitId: null }, kept));
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
    const byBranch = await this.branchRows(scope, await this.keptBasisOf(scope));
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
    const unitId = filter.unitId ?? own;
    if (filter.unitId !== undefined && !(await this.reports.unitExists(filter.unitId))) throw unitNotFound(filter.unitId);
    if (filter.branchId !== undefined) {
      const branchUnit = await this.reports.unitOfBranch(filter.branchId);
      if (branchUnit === undefined || (unitId !== null && branchUnit !== unitId)) {
        throw new NotFoundException({ message: '党支部不存在', code: 'BRANCH_NOT_FOUND' });
      }
    }
    return { course, courseId: course.id, closed: course.status === 'closed', unitId, branchId: filter.branchId ?? null };
  }

  // ---- figures ----

  private keptBasisOf(scope: Scope): Promise<KeptBasis | null> {
    return this.reports.keptBasis(scope, scope.course.requiredCreditHours, scope.course.startsAt);
  }

  /** The branch rows, from the kept figures when `kept` (keptBasis) says they hold. */
  private async branchRows(scope: Scope, kept: KeptBasis | null): Promise<BranchRow[]> {
    // One plain object literal per row, the sums beside it: 12,500 rows at province scale, where defining a
    // hidden property on each made them slow dictionary objects (~20 ms a report, and slower serializing).
    return (await this.reports.branchSums(scope, scope.course.requiredCreditHours, asOf(scope), kept)).map((r) => {
      const row: BranchRow = {
        branchId: r.branchId,
        unitId: r.unitId,
        name: r.branch ?? NO_BRANCH,
        unit: r.unit ?? NO_UNIT,
        enrolled: r.enrolled,
        completed: r.completed,
        rate: ratio(r.completed, r.enrolled),
        progress: progressOf(r.enrolled, r.requiredSum, r.hoursSum),
      };
      sumsOf.set(row, { required: r.requiredSum, creditHours: r.hoursSum, overdueLearners: r.overdueLearners });
      return row;
    });
  }

  // ---- learner list ----

  /** The list's filters; 404 for an activity of another course. */
  private async learnerFilter(scope: Scope, query: LearnerFilterQuery): Promise<LearnerFilter> {
    if (query.activityId && !(await this.reports.activityInCourse(query.activityId, scope.course.id))) {
      throw new NotFoundException({ message: '该学习任务不属于本培训班', code: 'ACTIVITY_NOT_FOUND' });
    }
    return { status: query.status, q: query.q, notDoneActivityId: query.activityId };
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

/**
 * The average required progress at the end of each Beijing week so far: the required completions counted
 * up to that week (`rows`, from required_done_weeks) over required activities × learners now in scope.
 */
function weeklyProgress(rows: Array<{ weekStart: string | Date; done: number }>, scope: Scope, requiredTotal: number, learners: number): ProgressFigures['weekly'] {
  const byWeek = new Map(rows.map((r) => [typeof r.weekStart === 'string' ? r.weekStart.slice(0, 10) : dateOnly(r.weekStart), r.done]));
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

function activityRows(counts: ActivityCount[], enrolled: number, scope: Scope): ActivityRow[] {
  return counts.map((r) => {
    const done = Math.min(enrolled, Math.max(0, r.done));
    const row = { activityId: r.id, title: r.title, type: r.type, required: r.required, dueAt: r.dueAt };
    return { ...row, done, rate: ratio(done, enrolled), overdue: row.required && isPastDue(row, scope) ? enrolled - done : 0 };
  });
}

/** The 学时 histogram (whole hours), the progress distribution and the weekly completion trend, from `histograms`. */
function distributionAndTrend(histograms: Histograms, scope: Scope, enrolled: number) {
  const start = scope.course.startsAt;
  const weeksDone = histograms.weeks;
  const distribution = PROGRESS_BUCKETS.map((b) => ({ bucket: b.key, from: b.from, to: b.to, learners: 0 }));
  // CEIL keeps 0 % apart from "a little" and 100 % apart from "almost".
  for (const [p, n] of histograms.percents) distribution.find((b) => p <= b.to)!.learners += n;
  const creditHours = [...histograms.hours.entries()]
    .filter(([, learners]) => learners > 0)
    .sort((a, b) => a[0] - b[0])
    .map(([h, learners]) => ({ from: h, to: h + 1, learners }));

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

/**
 * Overdue required work by unit. The items come from the per-unit completion counters (learners × past-due
 * required activities − their completions, `pastDueDone`); the learners not completed whose first missed due
 * date has passed from the kept figures by unit (`overdueLearners`), or else from the branch rows, which
 * counted them in their pass over the summaries.
 */
function overdueByUnit(
  byBranch: BranchRow[],
  byUnit: UnitRow[],
  overdueLearners: Map<string, number> | null,
  pastDue: ActivityRow[],
  pastDueDone: Array<{ unitId: string; done: number }>,
): CompletionReport['overdueByUnit'] {
  const figures = new Map(byUnit.map((u) => [u.unitId ?? '', { unitId: u.unitId, name: u.name, enrolled: u.enrolled, learnersOverdue: 0, overdueItems: 0 }]));
  if (!pastDue.length || !byUnit.length) return [...figures.values()];
  if (overdueLearners) {
    for (const [unitId, n] of overdueLearners) {
      const figure = figures.get(unitId === '0' ? '' : unitId);
      if (figure) figure.learnersOverdue += n;
    }
  } else {
    for (const branch of byBranch) {
      const figure = figures.get(branch.unitId ?? '');
      if (figure) figure.learnersOverdue += sumsOf.get(branch)!.overdueLearners;
    }
  }
  const ids = pastDue.map((a) => a.activityId);
  for (const row of pastDueDone) {
    const unit = figures.get(row.unitId === '0' ? '' : row.unitId);
    if (unit) unit.overdueItems -= row.done;
  }
  for (const unit of figures.values()) unit.overdueItems = Math.max(0, unit.overdueItems + unit.enrolled * ids.length);
  return [...figures.values()];
}

function unitsOf(branches: BranchRow[]): UnitRow[] {
  const units = new Map<string, BranchRow[]>();
  for (const b of branches) {
    const rows = units.get(b.unitId ?? '');
    if (rows) rows.push(b);
    else units.set(b.unitId ?? '', [b]);
  }
  return [...units.values()].map((rows) => {
    const sums = sumRates(rows);
    return { unitId: rows[0].unitId, name: rows[0].unit, ...sums, progress: averageOf(rows) };
  });
}

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
    rows.some((r) => sumsOf.get(r)![key] !== null) ? rows.reduce((n, r) => n + (sumsOf.get(r)![key] ?? 0), 0) : null;
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
  return activity.dueAt !== null && activity.dueAt.getTime() < asOf(scope).getTime();
}

/** The moment "past due" refers to: now, or the closing once the course is closed. */
function asOf(scope: Scope): Date {
  return scope.closed && scope.course.closedAt ? scope.course.closedAt : new Date();
}
