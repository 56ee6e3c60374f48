import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LearnerSort } from './dto/report-query.dto';
import { ReportScope, summaries } from './reports.repository';

/**
 * The read model's learner lists (part of the declared read model, see reports.repository.ts): the course
 * summaries joined to the people, units and branches they name, for reporting only.
 */

export interface LearnerFilter {
  status: 'behind' | 'completed' | 'all';
  /** Part of the name, or the start of the staff number. */
  q?: string;
  /** Only learners who have not completed this activity (already checked to belong to the course). */
  notDoneActivityId?: string;
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

export interface BehindLearner {
  branchId: string;
  userId: string;
  username: string;
  name: string;
  requiredDone: number;
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

@Injectable()
export class ReportLearnersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(scope: ReportScope, filter: LearnerFilter): Promise<number> {
    const { from, where, params } = filtered(scope, filter);
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from} WHERE ${where}`, params);
    return Number(total);
  }

  /**
   * One page of the learners matching the filter, sorted (then by staff number). Sorted by a figure of the
   * summary that is never null, the page's last value is read first from the summaries alone; then only the
   * learners up to it are joined to their names and sorted (otherwise every matching learner's users row is
   * read and sorted for each page: 70,000 of them for "behind, fewest done first" in a class of 100,000).
   */
  async list(scope: ReportScope, filter: LearnerFilter, order: LearnerOrder, page: { limit: number; offset: number }): Promise<LearnerRow[]> {
    const column = BOUNDED_SORTS[order.sort];
    let bound: { column: string; value: unknown } | null = null;
    if (column) {
      const { from, where, params } = filtered(scope, filter);
      const [last]: { v: unknown }[] = await this.dataSource.query(
        `SELECT ${column} AS v ${from} WHERE ${where} ORDER BY ${column} ${order.direction === 'desc' ? 'DESC' : 'ASC'} LIMIT 1 OFFSET ?`,
        [...params, page.offset + page.limit - 1],
      );
      // Fewer learners than the page's end: no bound, the page is the tail of the list.
      if (last) bound = { column, value: last.v };
    }
    const { sql, params } = listQuery(scope, filter, order, bound);
    const rows: Record<string, unknown>[] = await this.dataSource.query(`${sql} LIMIT ? OFFSET ?`, [...params, page.limit, page.offset]);
    return rows.map(learnerRow);
  }

  /**
   * Every learner matching the filter, in the list's order, read from the server as the consumer takes them
   * (exports): one statement on a connection of its own, which the driver pauses while the consumer is behind,
   * so memory stays flat however large the course. A consumer that stops early (a cancelled download) ends the
   * row stream; the driver then reads the rest of the result off that connection before its next statement.
   */
  async *stream(scope: ReportScope, filter: LearnerFilter, order: LearnerOrder): AsyncGenerator<LearnerRow> {
    const { sql, params } = listQuery(scope, filter, order);
    const runner = this.dataSource.createQueryRunner();
    try {
      for await (const row of await runner.stream(sql, params)) yield learnerRow(row as Record<string, unknown>);
    } finally {
      await runner.release();
    }
  }

  /** Up to `perBranch` learners of each of these branches who have not completed, fewest required done first. */
  async behindByBranch(scope: ReportScope, branchIds: string[], perBranch: number): Promise<BehindLearner[]> {
    const { from, where, params, branch } = summaries(scope, { users: true });
    const rows: { branch_id: string; id: string; username: string; name: string; required_done: number }[] = await this.dataSource.query(
      `SELECT x.branch_id, x.id, x.username, x.name, x.required_done FROM (
         SELECT ${branch} AS branch_id, u.id, u.username, u.name, s.required_done,
                ROW_NUMBER() OVER (PARTITION BY ${branch} ORDER BY s.required_done, u.username) AS n
           ${from} WHERE ${where} AND s.completed = 0 AND ${branch} IN (?)) x
        WHERE x.n <= ? ORDER BY x.branch_id, x.n`,
      [...params, branchIds, perBranch],
    );
    return rows.map((r) => ({ branchId: String(r.branch_id), userId: String(r.id), username: r.username, name: r.name, requiredDone: Number(r.required_done) }));
  }
}

export interface LearnerOrder {
  sort: LearnerSort;
  direction: 'asc' | 'desc';
}

/** Sorts by a summary column that is never null (the list can be cut at the page's last value first). */
const BOUNDED_SORTS: Partial<Record<LearnerSort, string>> = { requiredDone: 's.required_done', creditHours: 's.credit_hours' };

/** The list's statement; `bound`: only the learners up to the page's last value of the sort column. */
function listQuery(scope: ReportScope, filter: LearnerFilter, order: LearnerOrder, bound: { column: string; value: unknown } | null = null): { sql: string; params: unknown[] } {
  const base = filtered(scope, filter);
  const { unit, branch } = base;
  const { from } = summaries(scope, { users: true, usersFirst: Boolean(filter.q) });
  const direction = order.direction === 'desc' ? 'DESC' : 'ASC';
  let where = base.where;
  const params = [...base.params];
  if (bound) {
    where += ` AND ${bound.column} ${direction === 'DESC' ? '>=' : '<='} ?`;
    params.push(bound.value);
  }
  return {
    sql: `SELECT u.id, u.username, u.name, ${branch} AS branch_id, b.name AS branch, ${unit} AS unit_id, un.name AS unit,
                 s.required_done, s.required_total, s.credit_hours, s.made_up_count, s.completed, s.completed_at, lp.last_activity_at
            ${from}
            LEFT JOIN course_progress lp ON lp.course_id = s.course_id AND lp.user_id = s.user_id
            LEFT JOIN branches b ON b.id = ${branch}
            LEFT JOIN units un ON un.id = ${unit}
           WHERE ${where}
           ORDER BY ${SORT_COLUMNS[order.sort]} ${direction}, u.username ${direction}`,
    params,
  };
}

function learnerRow(r: Record<string, unknown>): LearnerRow {
  return {
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
  };
}

function filtered(scope: ReportScope, filter: LearnerFilter) {
  const base = summaries(scope, { branch: true, users: Boolean(filter.q), usersFirst: Boolean(filter.q) });
  let where = base.where;
  const params = [...base.params];
  if (filter.status === 'behind') where += ' AND s.completed = 0';
  if (filter.status === 'completed') where += ' AND s.completed = 1';
  if (filter.q) {
    where += ` AND (u.name LIKE ? OR u.username LIKE ?)`;
    const q = filter.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    params.push(`%${q}%`, `${q}%`);
  }
  if (filter.notDoneActivityId) {
    // One unique-key probe per candidate learner, never a scan or a GROUP BY of the activity states.
    where += ` AND NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = ? AND ap.user_id = s.user_id AND ap.state = 'completed')`;
    params.push(filter.notDoneActivityId);
  }
  return { from: base.from, where, params, unit: base.unit, branch: base.branch };
}
