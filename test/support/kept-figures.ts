import type { DataSource } from 'typeorm';
import { CourseFiguresRepository } from '../../src/progress/course-figures.repository';

/**
 * The report's kept figures of a course (course_branch_figures, course_unit_cells) against the same figures
 * worked out here, in JavaScript, from the active learners' summaries and the figures' basis: a delta lost or
 * counted twice anywhere shows as a difference. Rows at zero are left out on both sides.
 */
export async function keptAndExpectedFigures(ds: DataSource, courseId: string) {
  const [basis] = await ds.query(`SELECT required_total, required_credit_hours, starts_at FROM course_figure_bases WHERE course_id = ?`, [courseId]);
  const total = Number(basis.required_total);
  const tenthsRequired = Math.round(Number(basis.required_credit_hours) * 10);
  const start = new Date(basis.starts_at).getTime();
  const summaries: Record<string, unknown>[] = await ds.query(
    `SELECT unit_id, branch_id, completed, required_done, credit_hours, completed_at, first_missing_due_at FROM course_progress WHERE course_id = ? AND active = 1`,
    [courseId],
  );
  const branches = new Map<string, number[]>();
  const cells = new Map<string, number>();
  const cell = (unit: string, kind: number, bucket: number) => cells.set(`${unit}/${kind}/${bucket}`, (cells.get(`${unit}/${kind}/${bucket}`) ?? 0) + 1);
  const epoch2000 = Date.UTC(2000, 0, 1);
  for (const s of summaries) {
    const unit = s.unit_id === null ? '0' : String(s.unit_id);
    const branch = s.branch_id === null ? '0' : String(s.branch_id);
    const done = Number(s.required_done);
    const tenths = Math.round(Number(s.credit_hours) * 10);
    const completed = Number(s.completed);
    const row = branches.get(`${unit}/${branch}`) ?? [0, 0, 0, 0];
    row[0] += 1;
    row[1] += completed;
    row[2] += Math.min(done, total);
    row[3] += Math.min(tenths, tenthsRequired);
    branches.set(`${unit}/${branch}`, row);
    cell(unit, 1, Math.floor(tenths / 10));
    if (completed && s.completed_at) cell(unit, 2, Math.floor((new Date(s.completed_at as string).getTime() - start) / (7 * 24 * 3600 * 1000)));
    const percent = total > 0 ? Math.ceil((100 * Math.min(done, total)) / total) : tenthsRequired > 0 ? Math.ceil((100 * Math.min(tenths, tenthsRequired)) / tenthsRequired) : 100 * completed;
    cell(unit, 3, percent);
    if (!completed && s.first_missing_due_at) cell(unit, 4, new Date(s.first_missing_due_at as string).getTime() - epoch2000);
  }
  const keptBranches: Record<string, string>[] = await ds.query(
    `SELECT unit_id, branch_id, enrolled, completed, required_done, credit_tenths FROM course_branch_figures WHERE course_id = ?`,
    [courseId],
  );
  const keptCells: Record<string, string>[] = await ds.query(`SELECT unit_id, kind, bucket, learners FROM course_unit_cells WHERE course_id = ? AND learners <> 0`, [courseId]);
  const sorted = <T>(entries: [string, T][]) => Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return {
    kept: {
      branches: sorted(
        keptBranches
          .map((r) => [`${r.unit_id}/${r.branch_id}`, [r.enrolled, r.completed, r.required_done, r.credit_tenths].map(Number)] as [string, number[]])
          .filter(([, v]) => v.some((n) => n !== 0)),
      ),
      cells: sorted(keptCells.map((r) => [`${r.unit_id}/${r.kind}/${r.bucket}`, Number(r.learners)] as [string, number])),
    },
    expected: { branches: sorted([...branches.entries()]), cells: sorted([...cells.entries()]) },
  };
}

/** Asserts the kept figures equal the expected ones (see keptAndExpectedFigures). */
export async function expectFiguresKept(ds: DataSource, courseId: string): Promise<void> {
  const { kept, expected } = await keptAndExpectedFigures(ds, courseId);
  expect(kept).toEqual(expected);
}

/**
 * After a test wrote summaries straight into the database (as a tool outside the app might), counts the
 * course's kept figures afresh, as progress:rebuild would; nothing for a course never counted.
 */
export async function recountFigures(ds: DataSource, courseId: string): Promise<void> {
  const figures = new CourseFiguresRepository();
  await ds.transaction(async (manager) => {
    const basis = await figures.basisOf(courseId, manager);
    if (basis) await figures.recount(courseId, basis, manager);
  });
}
