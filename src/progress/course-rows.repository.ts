import type { EntityManager } from 'typeorm';

/**
 * How a course-wide statement reads one course's rows of a large per-learner table (activity_progress,
 * credit_entries: an `id` primary key and an index led by course_id): `from` names the table as `alias`,
 * `where` picks the course's rows, `params` fill `where`.
 */
export interface CourseRows {
  from: string;
  where: string;
  params: unknown[];
}

/** The tables read this way and their index led by (course_id, user_id). */
const COURSE_INDEX = {
  activity_progress: 'idx_activity_progress_course_user',
  credit_entries: 'idx_credit_entries_course_user',
} as const;

/**
 * Where the course's rows fill at least a quarter of the primary-key range they span (one big class, or a
 * few at once), they are read in primary-key order: a sequential scan. Through the course index instead,
 * each row is a random page once the table outgrows the buffer pool — at 100,000 learners × 50 activities
 * that made the rebuild's statements minutes long. A small course among many is still read by its index.
 */
export async function courseRows(manager: EntityManager, table: keyof typeof COURSE_INDEX, alias: string, courseId: string): Promise<CourseRows> {
  // Index-only: the primary key is in every secondary index.
  const [span] = await manager.query(`SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM ${table} FORCE INDEX (${COURSE_INDEX[table]}) WHERE course_id = ?`, [
    courseId,
  ]);
  const rows = Number(span?.n ?? 0);
  if (rows > 0 && rows * 4 >= Number(BigInt(span.hi) - BigInt(span.lo) + 1n)) {
    return { from: `${table} ${alias} FORCE INDEX (PRIMARY)`, where: `${alias}.id BETWEEN ? AND ? AND ${alias}.course_id = ?`, params: [String(span.lo), String(span.hi), courseId] };
  }
  return { from: `${table} ${alias} FORCE INDEX (${COURSE_INDEX[table]})`, where: `${alias}.course_id = ?`, params: [courseId] };
}
