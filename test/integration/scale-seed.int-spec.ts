import { DataSource } from 'typeorm';
import { appConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../../src/database/ensure-database';
import { hashPassword } from '../../src/users/passwords';
import { SCALE_PASSWORD, seedScale } from '../../src/database/scale-seed';
import { ProgressPlanService } from '../../src/progress/progress-plan.service';
import { uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The synthetic class of seed:scale: spread-out progress, and aggregates that agree with the raw states. */
describe('seed:scale', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('fills a class whose stored aggregates match a GROUP BY over the raw activity states', async () => {
    const result = await seedScale(t.dataSource, {
      learners: 120,
      activities: 10,
      tag: `-${uniq()}`,
      passwordHash: await hashPassword(SCALE_PASSWORD),
      rebuildCourse: (courseId) => t.app.get(ProgressPlanService).rebuildCourse(courseId),
    });
    expect(result).toMatchObject({ learners: 120, activities: 10, units: 1, branches: 15 });
    const q = (sql: string) => t.dataSource.query(sql, [result.courseId]);

    const [summary] = await q(`SELECT COUNT(*) AS n, SUM(completed) AS done, SUM(active) AS active, COUNT(DISTINCT branch_id) AS branches FROM course_progress WHERE course_id = ?`);
    expect(summary).toMatchObject({ n: '120', active: '120', branches: '15' });
    // Some finish, most do not: progress is spread.
    expect(Number(summary.done)).toBeGreaterThan(10);
    expect(Number(summary.done)).toBeLessThan(80);

    const [{ required }] = await q(`SELECT COUNT(*) AS required FROM activities WHERE course_id = ? AND required = 1`);
    const [hand] = await t.dataSource.query(
      `SELECT SUM(COALESCE(x.done, 0) >= ${Number(required)}) AS done FROM enrollments e
         LEFT JOIN (SELECT ap.user_id, SUM(ap.state = 'completed' AND a.required = 1) AS done FROM activity_progress ap
                      JOIN activities a ON a.id = ap.activity_id WHERE ap.course_id = ? GROUP BY ap.user_id) x ON x.user_id = e.user_id
        WHERE e.course_id = ?`,
      [result.courseId, result.courseId],
    );
    expect(hand.done).toBe(summary.done);
    const counted = await q(`SELECT activity_id, SUM(done) AS done FROM activity_done_counts WHERE course_id = ? GROUP BY activity_id ORDER BY activity_id`);
    const raw = await q(`SELECT activity_id, COUNT(*) AS done FROM activity_progress WHERE course_id = ? AND state = 'completed' GROUP BY activity_id ORDER BY activity_id`);
    expect(counted.map((r: { activity_id: string; done: string }) => [String(r.activity_id), Number(r.done)])).toEqual(
      raw.map((r: { activity_id: string; done: string }) => [String(r.activity_id), Number(r.done)]),
    );
    const [ledger] = await q(`SELECT COUNT(*) AS n FROM credit_entries WHERE course_id = ?`);
    const [completions] = await q(`SELECT COUNT(*) AS n FROM activity_progress WHERE course_id = ? AND state = 'completed'`);
    expect(ledger.n).toBe(completions.n);
  });

  it('loads a fresh database in bulk with the checks off in its own session only, and the rows still agree', async () => {
    const config = appConfig();
    const name = `${config.db.name}_scalefresh`;
    await dropDatabase(config, name);
    const flavor = await ensureDatabase(config, name);
    const fresh = new DataSource(dataSourceOptions(config, flavor, { database: name }));
    await fresh.initialize();
    try {
      await fresh.runMigrations({ transaction: 'each' });
      let rebuilt = '';
      const result = await seedScale(fresh, {
        learners: 60,
        activities: 8,
        freshDatabase: true,
        passwordHash: await hashPassword(SCALE_PASSWORD),
        rebuildCourse: async (courseId) => (rebuilt = courseId),
      });
      expect(rebuilt).toBe(result.courseId);
      const one = async (sql: string) => (await fresh.query(sql, [result.courseId]))[0];
      expect(await one(`SELECT COUNT(*) AS n FROM enrollments WHERE course_id = ?`)).toEqual({ n: '60' });
      expect(result.activityStates).toBeGreaterThan(60);
      // Every completed state has exactly its ledger entry, and the unique keys hold.
      const ledger = await one(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT c.entry_key) AS keys_, SUM(ap.id IS NULL) AS orphans
           FROM credit_entries c LEFT JOIN activity_progress ap ON ap.activity_id = c.activity_id AND ap.user_id = c.user_id AND ap.state = 'completed'
          WHERE c.course_id = ?`,
      );
      const completed = await one(`SELECT COUNT(*) AS n FROM activity_progress WHERE course_id = ? AND state = 'completed'`);
      expect(ledger).toEqual({ n: completed.n, keys_: completed.n, orphans: '0' });
      const [{ n: dup }] = await fresh.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM activity_progress GROUP BY activity_id, user_id HAVING COUNT(*) > 1) d`);
      expect(dup).toBe('0');
      // The pool's connections were never touched: checks on as the server has them.
      expect(await Promise.all(Array.from({ length: 4 }, () => one(`SELECT @@unique_checks AS u, @@foreign_key_checks AS f, ? AS c`)))).toEqual(
        Array.from({ length: 4 }, () => ({ u: '1', f: '1', c: result.courseId })),
      );
    } finally {
      await fresh.destroy();
      await dropDatabase(config, name);
    }
  });
});
