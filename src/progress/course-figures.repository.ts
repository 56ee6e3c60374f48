import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CELL_KIND } from './course-figures.entity';

/** The settings a course's figures are counted by (CourseFigureBasis). */
export interface FigureBasis {
  requiredTotal: number;
  requiredCreditHours: number;
  startsAt: Date;
}

/** What one active learner adds to the figures: their branch row and their bucket in each histogram. */
export interface Contribution {
  courseId: string;
  unitId: string;
  branchId: string;
  completed: number;
  requiredDone: number;
  creditTenths: number;
  /** Buckets by CELL_KIND; null: not in that histogram (not completed, no due date missed). */
  buckets: Record<number, string | null>;
}

/**
 * One learner's contribution, over their summary `s` and the course's basis `b`. The one definition both the
 * recount and the deltas use, so kept figures always equal a fresh count. Percent as the report has always
 * judged it: the share of required activities, else of 学时, else completion.
 */
const CONTRIBUTION = `s.course_id, COALESCE(s.unit_id, 0) AS unit_id, COALESCE(s.branch_id, 0) AS branch_id, s.completed,
       LEAST(s.required_done, b.required_total) AS required_done,
       ROUND(10 * LEAST(s.credit_hours, b.required_credit_hours)) AS credit_tenths,
       FLOOR(s.credit_hours) AS b${CELL_KIND.hours},
       CASE WHEN s.completed = 1 THEN FLOOR(TIMESTAMPDIFF(SECOND, b.starts_at, s.completed_at) / 604800) END AS b${CELL_KIND.week},
       CEIL(100 * COALESCE(CASE WHEN b.required_total > 0 THEN LEAST(1, s.required_done / b.required_total) END,
                           LEAST(1, s.credit_hours / NULLIF(b.required_credit_hours, 0)), s.completed)) AS b${CELL_KIND.percent},
       CASE WHEN s.completed = 0 THEN TIMESTAMPDIFF(MICROSECOND, '2000-01-01', s.first_missing_due_at) DIV 1000 END AS b${CELL_KIND.firstMissingDue}`;

const KINDS = Object.values(CELL_KIND);

/** The course's active learners' contributions, for a recount. */
const COURSE_CONTRIBUTIONS = `SELECT ${CONTRIBUTION}
  FROM course_progress s JOIN course_figure_bases b ON b.course_id = s.course_id
 WHERE s.course_id = ? AND s.active = 1`;

/** Ascending order of two ids held as decimal strings. */
function byId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The kept report figures (see CourseFigureBasis): counted for a whole course by its set-based recomputes;
 * moved by deltas when learners' summaries change (the engine, enrolment, the membership sync).
 */
@Injectable()
export class CourseFiguresRepository {
  /** The basis the course's figures were counted by; null if never counted. */
  async basisOf(courseId: string, manager: EntityManager): Promise<FigureBasis | null> {
    const [row] = await manager.query(`SELECT required_total, required_credit_hours, starts_at FROM course_figure_bases WHERE course_id = ?`, [courseId]);
    return row ? { requiredTotal: Number(row.required_total), requiredCreditHours: Number(row.required_credit_hours), startsAt: new Date(row.starts_at) } : null;
  }

  /**
   * Counts the course's figures afresh from its summaries, under `basis`. The summaries are read with shared
   * locks first: a learner's change in flight commits its delta before this count, or waits until after it.
   */
  async recount(courseId: string, basis: FigureBasis, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT COUNT(*) AS n FROM course_progress s WHERE s.course_id = ? AND s.active = 1 LOCK IN SHARE MODE`, [courseId]);
    await manager.query(
      `INSERT INTO course_figure_bases (course_id, required_total, required_credit_hours, starts_at) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE required_total = VALUES(required_total), required_credit_hours = VALUES(required_credit_hours), starts_at = VALUES(starts_at)`,
      [courseId, basis.requiredTotal, basis.requiredCreditHours, basis.startsAt],
    );
    await manager.query(`DELETE FROM course_branch_figures WHERE course_id = ?`, [courseId]);
    await manager.query(
      `INSERT INTO course_branch_figures (course_id, unit_id, branch_id, enrolled, completed, required_done, credit_tenths)
       SELECT c.course_id, c.unit_id, c.branch_id, COUNT(*), SUM(c.completed), SUM(c.required_done), SUM(c.credit_tenths)
         FROM (${COURSE_CONTRIBUTIONS}) c GROUP BY c.course_id, c.unit_id, c.branch_id`,
      [courseId],
    );
    await manager.query(`DELETE FROM course_unit_cells WHERE course_id = ?`, [courseId]);
    // Each learner once per histogram (a row per kind), grouped in one pass.
    const bucket = `CASE k.kind ${KINDS.map((kind) => `WHEN ${kind} THEN c.b${kind}`).join(' ')} END`;
    await manager.query(
      `INSERT INTO course_unit_cells (course_id, unit_id, kind, bucket, learners)
       SELECT c.course_id, c.unit_id, k.kind, ${bucket} AS bucket, COUNT(*)
         FROM (${COURSE_CONTRIBUTIONS}) c
         JOIN (${KINDS.map((kind) => `SELECT ${kind} AS kind`).join(' UNION ALL ')}) k
        WHERE ${bucket} IS NOT NULL
        GROUP BY c.course_id, c.unit_id, k.kind, bucket`,
      [courseId],
    );
  }

  /**
   * These learners' contributions to the course's figures now, read with shared locks (their summaries are
   * the caller's already; the basis cannot be recounted until the caller commits). Nothing for a course never
   * counted, or for learners not active in it.
   */
  async contributionsOf(courseId: string, userIds: string[], manager: EntityManager): Promise<Contribution[]> {
    if (!userIds.length) return [];
    const rows: Record<string, string | number | null>[] = await manager.query(
      `SELECT ${CONTRIBUTION}
         FROM course_progress s JOIN course_figure_bases b ON b.course_id = s.course_id
        WHERE s.course_id = ? AND s.user_id IN (?) AND s.active = 1 LOCK IN SHARE MODE`,
      [courseId, userIds],
    );
    return rows.map((r) => ({
      courseId: String(r.course_id),
      unitId: String(r.unit_id),
      branchId: String(r.branch_id),
      completed: Number(r.completed),
      requiredDone: Number(r.required_done),
      creditTenths: Number(r.credit_tenths),
      buckets: Object.fromEntries(KINDS.map((kind) => [kind, r[`b${kind}`] === null ? null : String(r[`b${kind}`])])),
    }));
  }

  /**
   * Moves the figures from the contributions `before` a change to those `after` it: the branch rows, then the
   * cells, each in key order and last in the caller's transaction (as the completion counters).
   */
  async applyChange(before: Contribution[], after: Contribution[], manager: EntityManager): Promise<void> {
    const branches = new Map<string, { key: [string, string, string]; enrolled: number; completed: number; requiredDone: number; creditTenths: number }>();
    const cells = new Map<string, { key: [string, string, number, string]; learners: number }>();
    const add = (c: Contribution, sign: 1 | -1) => {
      const branchKey = `${c.courseId}:${c.unitId}:${c.branchId}`;
      const row = branches.get(branchKey) ?? { key: [c.courseId, c.unitId, c.branchId], enrolled: 0, completed: 0, requiredDone: 0, creditTenths: 0 };
      row.enrolled += sign;
      row.completed += sign * c.completed;
      row.requiredDone += sign * c.requiredDone;
      row.creditTenths += sign * c.creditTenths;
      branches.set(branchKey, row);
      for (const kind of KINDS) {
        const bucket = c.buckets[kind];
        if (bucket === null) continue;
        const cellKey = `${c.courseId}:${c.unitId}:${kind}:${bucket}`;
        const cell = cells.get(cellKey) ?? { key: [c.courseId, c.unitId, kind, bucket], learners: 0 };
        cell.learners += sign;
        cells.set(cellKey, cell);
      }
    };
    before.forEach((c) => add(c, -1));
    after.forEach((c) => add(c, 1));

    const branchRows = [...branches.values()]
      .filter((r) => r.enrolled || r.completed || r.requiredDone || r.creditTenths)
      .sort((a, b) => byId(a.key[0], b.key[0]) || byId(a.key[1], b.key[1]) || byId(a.key[2], b.key[2]));
    for (let i = 0; i < branchRows.length; i += 500) {
      const chunk = branchRows.slice(i, i + 500);
      await manager.query(
        `INSERT INTO course_branch_figures (course_id, unit_id, branch_id, enrolled, completed, required_done, credit_tenths)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE enrolled = enrolled + VALUES(enrolled), completed = completed + VALUES(completed),
                                 required_done = required_done + VALUES(required_done), credit_tenths = credit_tenths + VALUES(credit_tenths)`,
        chunk.flatMap((r) => [...r.key, r.enrolled, r.completed, r.requiredDone, r.creditTenths]),
      );
    }
    const cellRows = [...cells.values()]
      .filter((c) => c.learners !== 0)
      .sort((a, b) => byId(a.key[0], b.key[0]) || byId(a.key[1], b.key[1]) || a.key[2] - b.key[2] || Number(BigInt(a.key[3]) - BigInt(b.key[3])));
    for (let i = 0; i < cellRows.length; i += 500) {
      const chunk = cellRows.slice(i, i + 500);
      await manager.query(
        `INSERT INTO course_unit_cells (course_id, unit_id, kind, bucket, learners) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE learners = learners + VALUES(learners)`,
        chunk.flatMap((c) => [...c.key, c.learners]),
      );
    }
  }
}
