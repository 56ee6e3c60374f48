import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.setup';
import { hashPassword } from '../src/users/passwords';
import { SCALE_PASSWORD, seedScale } from '../src/database/scale-seed';
import { ProgressPlanService } from '../src/progress/progress-plan.service';
import type { BenchResult } from './run';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source';
import { ensureDatabase } from '../src/database/ensure-database';
import { benchDatabase, ms, timed } from './support';

// BENCH_DASHBOARD_LEARNERS=10000 runs one size only (a quicker look while working on the reports).
const SIZES = process.env.BENCH_DASHBOARD_LEARNERS ? process.env.BENCH_DASHBOARD_LEARNERS.split(',').map(Number) : [10_000, 50_000];
const ACTIVITIES = 50;
const RUNS = 30;
// The hand-written queries take seconds (10,000) to minutes (50,000) each here: few runs, no warm-up.
const baselineRuns = (learners: number) => (learners <= 10_000 ? 5 : 2);
const targetP95 = (learners: number) => (learners <= 10_000 ? 300 : 1000);

interface Completion {
  enrolled: number;
  completed: number;
  byBranch: { branchId: string | null; enrolled: number; completed: number }[];
  byActivity: { activityId: string; done: number }[];
}
interface LearnerPage {
  total: number;
  items: { userId: string; requiredDone: number }[];
}

/**
 * The completion dashboard over real HTTP at 10,000 and 50,000 learners × 50 activities (seeded like
 * `npm run seed:scale`): p50/p95 of GET /api/reports/courses/:id/completion and of the learners list (behind,
 * fewest done first), against the same run's hand-written SQL that computes the same figures with GROUP BY
 * over the raw activity states — and a check that both give the same numbers.
 */
export async function dashboardBench(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  for (const learners of SIZES) {
    // BENCH_DASHBOARD_REUSE=<database>: measure a class seed:scale left there (seeding 50,000 takes minutes).
    const reuse = process.env.BENCH_DASHBOARD_REUSE;
    const { config, dataSource, drop } = reuse ? await existingDatabase(reuse) : await benchDatabase('dashboard');
    const app = await createApp(config);
    try {
      const seeded = reuse ? await seededClass(dataSource) : await seedScale(dataSource, {
            learners,
            activities: ACTIVITIES,
            passwordHash: await hashPassword(SCALE_PASSWORD),
            rebuildCourse: (courseId) => app.get(ProgressPlanService).rebuildCourse(courseId),
          });
      await dataSource.query('ANALYZE TABLE course_progress, enrollments, users, activity_done_counts, activity_progress');
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: seeded.adminUsername, password: SCALE_PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`login ${seeded.adminUsername}: ${login.status} ${await login.text()}`);
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      const get = async <T>(path: string): Promise<T> => {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      };
      const course = seeded.courseId;
      const completionPath = `/reports/courses/${course}/completion`;
      const learnersPath = `/reports/courses/${course}/learners?status=behind&sort=requiredDone&pageSize=20`;

      const completion = await timed(RUNS, () => get<Completion>(completionPath));
      const list = await timed(RUNS, () => get<LearnerPage>(learnersPath));
      const [{ total }] = await dataSource.query(`SELECT COUNT(*) AS total FROM activities WHERE course_id = ? AND required = 1 AND archived_at IS NULL`, [course]);
      const handCompletion = await timed(baselineRuns(learners), () => handWrittenCompletion(dataSource, course, Number(total)), false);
      const handLearners = await timed(baselineRuns(learners), () => handWrittenLearners(dataSource, course, Number(total)), false);

      const same = sameCompletion(completion.value, handCompletion.value);
      const sameList =
        list.value.total === handLearners.value.total &&
        JSON.stringify(list.value.items.map((r) => [r.userId, r.requiredDone])) === JSON.stringify(handLearners.value.items.map((r) => [r.userId, r.requiredDone]));
      const label = `${learners.toLocaleString('en')} × ${ACTIVITIES}`;
      rows.push(
        {
          metric: `${label}: completion p50 / p95`,
          value: `${ms(completion.p50)} / ${ms(completion.p95)}`,
          baseline: `${ms(handCompletion.p50)} / ${ms(handCompletion.p95)} hand-written GROUP BY`,
          target: `p95 ≤ ${targetP95(learners)} ms and ≤ 1.5× hand-written: ${verdict(completion.p95, targetP95(learners), handCompletion.p95)}`,
        },
        {
          metric: `${label}: learners (behind) p50 / p95`,
          value: `${ms(list.p50)} / ${ms(list.p95)}`,
          baseline: `${ms(handLearners.p50)} / ${ms(handLearners.p95)} hand-written GROUP BY`,
          target: `p95 ≤ ${targetP95(learners)} ms and ≤ 1.5× hand-written: ${verdict(list.p95, targetP95(learners), handLearners.p95)}`,
        },
        {
          metric: `${label}: same numbers as the hand-written SQL`,
          value: `completion ${same ? 'yes' : 'NO'}, learners ${sameList ? 'yes' : 'NO'}`,
          baseline: `${completion.value.completed} of ${completion.value.enrolled} completed; ${seeded.activityStates.toLocaleString('en')} activity states; seeded in ${seeded.seconds.toFixed(0)} s`,
        },
      );
      console.table(rows.slice(-3)); // each size as soon as it is measured
      if (!same || !sameList) throw new Error(`dashboard at ${learners} learners: the report and the hand-written SQL disagree`);
    } finally {
      await app.close();
      await drop();
    }
  }
  return { name: `department dashboard over HTTP (${SIZES.map((s) => s.toLocaleString('en')).join(' and ')} learners × ${ACTIVITIES} activities)`, rows };
}

/** The same figures straight from the raw activity states: what the stored aggregates save on each view. */
async function handWrittenCompletion(dataSource: import('typeorm').DataSource, courseId: string, requiredTotal: number): Promise<Completion> {
  const branches: { branch_id: string | null; enrolled: string; completed: string }[] = await dataSource.query(
    `SELECT u.branch_id, COUNT(*) AS enrolled, SUM(COALESCE(x.done, 0) >= ?) AS completed
       FROM enrollments e JOIN users u ON u.id = e.user_id
       LEFT JOIN (SELECT ap.user_id, SUM(ap.state = 'completed' AND a.required = 1 AND a.archived_at IS NULL) AS done
                    FROM activity_progress ap JOIN activities a ON a.id = ap.activity_id
                   WHERE ap.course_id = ? GROUP BY ap.user_id) x ON x.user_id = e.user_id
      WHERE e.course_id = ? AND e.status = 'active'
      GROUP BY u.branch_id`,
    [requiredTotal, courseId, courseId],
  );
  const activities: { activity_id: string; done: string }[] = await dataSource.query(
    `SELECT activity_id, COUNT(*) AS done FROM activity_progress WHERE course_id = ? AND state = 'completed' GROUP BY activity_id`,
    [courseId],
  );
  const byBranch = branches.map((b) => ({ branchId: b.branch_id === null ? null : String(b.branch_id), enrolled: Number(b.enrolled), completed: Number(b.completed) }));
  return {
    enrolled: byBranch.reduce((n, b) => n + b.enrolled, 0),
    completed: byBranch.reduce((n, b) => n + b.completed, 0),
    byBranch,
    byActivity: activities.map((a) => ({ activityId: String(a.activity_id), done: Number(a.done) })),
  };
}

async function handWrittenLearners(dataSource: import('typeorm').DataSource, courseId: string, requiredTotal: number): Promise<LearnerPage> {
  const from = `FROM enrollments e JOIN users u ON u.id = e.user_id
       LEFT JOIN (SELECT ap.user_id, SUM(ap.state = 'completed' AND a.required = 1 AND a.archived_at IS NULL) AS done
                    FROM activity_progress ap JOIN activities a ON a.id = ap.activity_id
                   WHERE ap.course_id = ? GROUP BY ap.user_id) x ON x.user_id = e.user_id
      WHERE e.course_id = ? AND e.status = 'active' AND COALESCE(x.done, 0) < ?`;
  const [{ total }] = await dataSource.query(`SELECT COUNT(*) AS total ${from}`, [courseId, courseId, requiredTotal]);
  const items: { id: string; done: string | null }[] = await dataSource.query(`SELECT u.id, x.done ${from} ORDER BY COALESCE(x.done, 0), u.username LIMIT 20`, [
    courseId,
    courseId,
    requiredTotal,
  ]);
  return { total: Number(total), items: items.map((r) => ({ userId: String(r.id), requiredDone: Number(r.done ?? 0) })) };
}

function sameCompletion(report: Completion, hand: Completion): boolean {
  const key = (rows: { enrolled: number; completed: number; branchId: string | null }[]) =>
    JSON.stringify(rows.map((r) => [r.branchId, r.enrolled, r.completed]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  const done = (rows: { activityId: string; done: number }[]) => JSON.stringify(rows.filter((r) => r.done > 0).map((r) => [r.activityId, r.done]).sort());
  return report.enrolled === hand.enrolled && report.completed === hand.completed && key(report.byBranch) === key(hand.byBranch) && done(report.byActivity) === done(hand.byActivity);
}

function verdict(p95: number, target: number, baseline: number): string {
  return p95 <= target && p95 <= baseline * 1.5 ? 'met' : 'NOT met';
}

/** A database seed:scale filled earlier: connected as it is, never dropped. */
async function existingDatabase(name: string) {
  // The application reads its configuration from process.env, as benchDatabase arranges it.
  Object.assign(process.env, { DB_NAME: name, LOG_LEVEL: 'silent' });
  const config = loadConfig(process.env);
  const dataSource = new DataSource(dataSourceOptions(config, await ensureDatabase(config)));
  await dataSource.initialize();
  return { config, dataSource, drop: () => dataSource.destroy() };
}

async function seededClass(dataSource: DataSource) {
  const [course] = await dataSource.query(`SELECT id FROM courses ORDER BY id DESC LIMIT 1`);
  const [admin] = await dataSource.query(`SELECT username FROM users WHERE role = 'admin' AND unit_id IS NULL AND username LIKE 'scale-admin%' ORDER BY id DESC LIMIT 1`);
  const [{ n }] = await dataSource.query(`SELECT COUNT(*) AS n FROM activity_progress WHERE course_id = ?`, [course.id]);
  return { courseId: String(course.id), adminUsername: String(admin.username), activityStates: Number(n), seconds: 0 };
}
