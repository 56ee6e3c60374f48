import { createApp } from '../src/app.setup';
import { SCALE_PASSWORD, seedScale } from '../src/database/scale-seed';
import { ProgressPlanService } from '../src/progress/progress-plan.service';
import { ProgressService } from '../src/progress/progress.service';
import { hashPassword } from '../src/users/passwords';
import type { BenchResult } from './run';
import { benchDatabase } from './support';

const LEARNERS = Number(process.env.BENCH_COMPLETIONS_LEARNERS ?? 20_000);
const ACTIVITIES = 10;
const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 3_000);
const AT_ONCE = 8;

type Pair = { userId: string; activityId: string; courseId: string; hours: number };

/**
 * Completions through the progress engine (ProgressService.apply: the activity state, the 学时 ledger, the
 * learner's summary and first missed due date, the per-activity and weekly counters and the report's kept
 * figures, one transaction each), 8 at a time on a class seeded like `seed:scale`, against the same run's
 * baseline: bare SQL writing the state, the ledger entry, the summary's figures and the activity counter in
 * one transaction per completion, with none of the engine's rules. Different learner–activity pairs each.
 */
export async function completionsBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('completions');
  const app = await createApp(config);
  try {
    await app.init();
    await seedScale(dataSource, {
      learners: LEARNERS,
      activities: ACTIVITIES,
      passwordHash: await hashPassword(SCALE_PASSWORD),
      freshDatabase: true,
      rebuildCourse: (courseId) => app.get(ProgressPlanService).rebuildCourse(courseId),
    });
    const rows: { user_id: string; activity_id: string; course_id: string; credit_hours: string }[] = await dataSource.query(
      `SELECT e.user_id, a.id AS activity_id, a.course_id, a.credit_hours
         FROM enrollments e JOIN activities a ON a.course_id = e.course_id AND a.type IN ('video', 'reading', 'discussion', 'quiz')
        WHERE e.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = a.id AND ap.user_id = e.user_id AND ap.state = 'completed')
        ORDER BY RAND(42) LIMIT ?`,
      [2 * COMPLETIONS],
    );
    const pairs: Pair[] = rows.map((r) => ({ userId: String(r.user_id), activityId: String(r.activity_id), courseId: String(r.course_id), hours: Number(r.credit_hours) }));
    if (pairs.length < 2 * COMPLETIONS) throw new Error(`completions: only ${pairs.length} pairs left to complete`);
    const engine = app.get(ProgressService);
    const measured = await atOnce(pairs.filter((_, i) => i % 2 === 0), (p) => engine.apply(p.userId, p.activityId, { kind: 'complete' }));
    const bare = await atOnce(pairs.filter((_, i) => i % 2 === 1), (p) =>
      dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent, started_at, completed_at, last_event_at)
           VALUES (?, ?, ?, 'completed', 100, NOW(3), NOW(3), NOW(3))
           ON DUPLICATE KEY UPDATE state = 'completed', percent = 100, completed_at = NOW(3), last_event_at = NOW(3)`,
          [p.courseId, p.activityId, p.userId],
        );
        await m.query(`INSERT IGNORE INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason) VALUES (?, ?, ?, ?, ?, 'online', 'bench')`, [
          `bench:${p.activityId}:${p.userId}`,
          p.courseId,
          p.userId,
          p.activityId,
          p.hours,
        ]);
        await m.query(
          `UPDATE course_progress SET required_done = required_done + 1, credit_hours = credit_hours + ?, last_activity_at = NOW(3) WHERE course_id = ? AND user_id = ?`,
          [p.hours, p.courseId, p.userId],
        );
        await m.query(
          `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
           SELECT cp.course_id, ?, COALESCE(cp.unit_id, 0), cp.user_id % 8, 1 FROM course_progress cp WHERE cp.course_id = ? AND cp.user_id = ?
           ON DUPLICATE KEY UPDATE done = done + 1`,
          [p.activityId, p.courseId, p.userId],
        );
      }),
    );
    const label = `${LEARNERS.toLocaleString('en')} × ${ACTIVITIES}`;
    return {
      name: `completions through the progress engine (${COMPLETIONS.toLocaleString('en')} each way, ${AT_ONCE} at a time, class of ${label})`,
      rows: [
        {
          metric: 'completions/s',
          value: `${measured.perSecond.toFixed(0)}/s`,
          baseline: `${bare.perSecond.toFixed(0)}/s bare SQL (${(measured.perSecond / bare.perSecond).toFixed(2)}×)`,
          target: 'informative: what the engine’s rules and kept aggregates cost per completion',
        },
        {
          metric: 'latency p50 / p95',
          value: `${measured.p50.toFixed(1)} / ${measured.p95.toFixed(1)} ms`,
          baseline: `${bare.p50.toFixed(1)} / ${bare.p95.toFixed(1)} ms bare SQL`,
        },
      ],
    };
  } finally {
    await app.close();
    await drop();
  }
}

/** Runs `task` over `items`, AT_ONCE at a time; throughput and latency percentiles. */
async function atOnce<T>(items: T[], task: (item: T) => Promise<unknown>): Promise<{ perSecond: number; p50: number; p95: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await task(item);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: items.length / seconds, p50: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] };
}
