import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AssessmentResultsService } from '../src/assessments/assessment-results.service';
import { AssessmentRoundsService } from '../src/assessments/assessment-rounds.service';
import { AssessmentScoringService } from '../src/assessments/assessment-scoring.service';
import { AssessmentSchemesService } from '../src/assessments/assessment-schemes.service';
import { AssessmentsRepository } from '../src/assessments/assessments.repository';
import type { IndicatorEvidence } from '../src/assessments/assessment-scheme';
import { SYSTEM_ACTOR } from '../src/common/auth-user';
import { seedBranchWork } from '../src/database/branch-work-seed';
import { SCALE_PASSWORD } from '../src/database/scale-seed';
import { NormsService } from '../src/norms/norms.service';
import { hashPassword } from '../src/users/passwords';
import { WorkerModule } from '../src/worker.module';
import type { BenchResult } from './run';
import { benchDatabase, ms, timed } from './support';

// BENCH_ASSESSMENT_BRANCHES=2000 for a quicker look while working on the round.
const BRANCHES = Number(process.env.BENCH_ASSESSMENT_BRANCHES ?? 12_000);
const TARGET_SECONDS = 60;

/** Every automatic measure the platform has, and two indicators scored by hand (not entered here). */
const SCHEME = {
  indicators: [
    { key: 'completion', name: '培训完成率', weight: 15, source: 'auto' as const, measure: 'training.completion' as const },
    { key: 'hours', name: '学时', weight: 15, source: 'auto' as const, measure: 'training.hours' as const, target: 32 },
    { key: 'compliance', name: '组织生活达标', weight: 20, source: 'auto' as const, measure: 'handbook.compliance' as const },
    { key: 'ontime', name: '记录及时', weight: 10, source: 'auto' as const, measure: 'handbook.onTime' as const, target: 7 },
    { key: 'plan', name: '计划完成', weight: 10, source: 'auto' as const, measure: 'plan.done' as const },
    { key: 'excellent', name: '优秀心得', weight: 5, source: 'auto' as const, measure: 'reflections.excellent' as const, target: 1 },
    { key: 'suggest', name: '意见建议', weight: 5, source: 'auto' as const, measure: 'suggestions.made' as const, target: 2 },
    { key: 'quality', name: '记录质量', weight: 10, source: 'manual' as const },
    { key: 'review', name: '民主评议', weight: 10, source: 'manual' as const },
  ],
  bands: [
    { grade: 'excellent' as const, min: 90 },
    { grade: 'good' as const, min: 75 },
    { grade: 'fair' as const, min: 60 },
    { grade: 'poor' as const, min: 0 },
  ],
  excellentCap: 0.3,
};
const AUTO_KEYS = SCHEME.indicators.filter((i) => i.source === 'auto').map((i) => i.key);

/**
 * An assessment round at province size: 12,000 branches (120 units) with a year of handbook records (~530,000,
 * as `seed:scale -- --branch-work`), a secretary each with three courses of the year, an approved plan of ten
 * items, 优秀心得 and suggestions. The round runs as in production — the round job and its chunk jobs on
 * BullMQ, taken by a worker in this process — timed from the request to the last branch counted; the baseline is
 * one hand-written statement computing the same seven automatic scores for every branch. Every branch's
 * scores are compared.
 */
export async function assessmentsBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('assessment');
  let worker: INestApplicationContext | undefined;
  try {
    const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() - 1;
    const seeded = await seedBranchWork(dataSource, { branches: BRANCHES, year, passwordHash: await hashPassword(SCALE_PASSWORD) });
    await seedTrainingAndPlans(dataSource, year);
    await dataSource.query('ANALYZE TABLE branch_records, branches, units, users, course_progress, branch_plans, plan_items, plan_item_records, reflections, suggestions');

    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    const versionId = (await worker.get(NormsService).forYear(year)).versionId;
    await worker.get(AssessmentSchemesService).replace(year, SCHEME, SYSTEM_ACTOR);
    const rounds = worker.get(AssessmentRoundsService);
    const repository = worker.get(AssessmentsRepository);

    const started = performance.now();
    const { id } = await rounds.start(year, year, SYSTEM_ACTOR);
    let round = await repository.findRound(id);
    while (round && round.state === 'computing') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      round = await repository.findRound(id);
    }
    const roundSeconds = (performance.now() - started) / 1000;
    if (round?.state !== 'computed') throw new Error(`assessment round ended ${round?.state}: ${round?.error}`);

    const handStarted = performance.now();
    const hand = await handWritten(dataSource, year, versionId);
    const handSeconds = (performance.now() - handStarted) / 1000;

    const results: { branch_id: string; evidence: Record<string, IndicatorEvidence> | string }[] = await dataSource.query(
      `SELECT branch_id, evidence FROM assessment_results WHERE round_id = ?`,
      [id],
    );
    let compared = 0;
    let worst = 0;
    const mismatches: string[] = [];
    for (const row of results) {
      const evidence = typeof row.evidence === 'string' ? (JSON.parse(row.evidence) as Record<string, IndicatorEvidence>) : row.evidence;
      const expected = hand.get(String(row.branch_id));
      if (!expected) {
        mismatches.push(`branch ${row.branch_id}: not in the hand-written result`);
        continue;
      }
      for (const key of AUTO_KEYS) {
        const difference = Math.abs(evidence[key].score - expected[key]);
        worst = Math.max(worst, difference);
        if (difference > 0.005 + 1e-9 && mismatches.length < 5) mismatches.push(`branch ${row.branch_id} ${key}: round ${evidence[key].score}, SQL ${expected[key]}`);
        compared++;
      }
    }
    if (results.length !== hand.size) mismatches.push(`round ${results.length} branches, SQL ${hand.size}`);
    const same = mismatches.length === 0;
    const speed = handSeconds / roundSeconds;

    // What people wait on afterwards: the department's first results page (provisional grades over the whole
    // round), publishing once every manual score is in (written here as the unit admins would have), the page again.
    const reader = worker.get(AssessmentResultsService);
    const scoring = worker.get(AssessmentScoringService);
    const department = { ...SYSTEM_ACTOR, id: '1' };
    const provisional = await timed(5, () => reader.results(id, department, { page: 1, pageSize: 20 }));
    await dataSource.query(
      `INSERT INTO assessment_manual_scores (round_id, branch_id, indicator_key, score, reason, scored_by, scored_at)
       SELECT round_id, branch_id, k.k, 60 + branch_id % 40, '基准数据', 1, NOW(3) FROM assessment_results
        CROSS JOIN (SELECT 'quality' AS k UNION ALL SELECT 'review') k WHERE round_id = ?`,
      [id],
    );
    const publishStarted = performance.now();
    await scoring.publish(id, department);
    const publishMs = performance.now() - publishStarted;
    const published = await timed(5, () => reader.results(id, department, { page: 1, pageSize: 20 }));

    const label = `${seeded.branches.toLocaleString('en')} branches × ${seeded.records.toLocaleString('en')} records`;
    const rows: BenchResult['rows'] = [
      {
        metric: `${label}: round requested → every branch counted (${Math.ceil(seeded.branches / config.assessments.chunkSize)} chunk jobs)`,
        value: `${roundSeconds.toFixed(1)} s`,
        baseline: `${handSeconds.toFixed(1)} s hand-written statement`,
        target: `≤ ${TARGET_SECONDS} s and ≥ 0.5× hand-written speed (${speed.toFixed(2)}×): ${roundSeconds <= TARGET_SECONDS && speed >= 0.5 ? 'met' : 'NOT met'}`,
      },
      {
        metric: "department's results page, p50 / p95 (before publishing: grades worked out over the whole round · after)",
        value: `${ms(provisional.p50)} / ${ms(provisional.p95)} · ${ms(published.p50)} / ${ms(published.p95)}`,
      },
      {
        metric: 'publishing (totals, grades with the cap, ranks, a notification to every secretary)',
        value: ms(publishMs),
      },
      {
        metric: 'same scores as the hand-written SQL (7 automatic indicators × every branch)',
        value: same ? `yes (${compared.toLocaleString('en')} scores, largest difference ${worst.toFixed(3)})` : `NO: ${mismatches.join('; ')}`,
        baseline: `seeded in ${seeded.seconds.toFixed(0)} s`,
      },
    ];
    if (!same) throw new Error(`assessment: the round and the hand-written SQL disagree: ${mismatches.join('; ')}`);
    return { name: `assessment round through the queue (${label}, year ${year})`, rows };
  } finally {
    await worker?.close();
    await drop();
  }
}

/**
 * The rest of a branch's year, written straight into the tables: a secretary per branch enrolled in three of
 * the year's courses (completion and 学时 varying by person), an approved plan of ten items with some done,
 * 优秀心得 for one secretary in five and a suggestion for one in three.
 */
async function seedTrainingAndPlans(dataSource: DataSource, year: number): Promise<void> {
  const hash = await hashPassword(SCALE_PASSWORD);
  await dataSource.query(
    `INSERT INTO users (username, name, role, branch_id, unit_id, password_hash)
     SELECT CONCAT('asec-', id), CONCAT('书记', id), 'secretary', id, unit_id, ? FROM branches`,
    [hash],
  );
  const courses: string[] = [];
  for (const month of [3, 6, 9]) {
    const inserted = await dataSource.query(
      `INSERT INTO courses (title, description, starts_at, ends_at, status, published_at)
       VALUES (?, '基准数据：考核评估', MAKEDATE(?, 1) + INTERVAL ? MONTH, MAKEDATE(?, 1) + INTERVAL ? MONTH, 'closed', MAKEDATE(?, 1))`,
      [`${month}月书记培训（基准）`, year, month - 1, year, month, year],
    );
    courses.push(String(inserted.insertId));
  }
  const section = await dataSource.query(`INSERT INTO sections (course_id, title, position) VALUES (?, '学习', 0)`, [courses[0]]);
  const reading = await dataSource.query(
    `INSERT INTO activities (course_id, section_id, type, title, required, credit_hours, position, settings) VALUES (?, ?, 'reading', '阅读', 1, 2, 0, '{}')`,
    [courses[0], section.insertId],
  );
  for (const [n, courseId] of courses.entries()) {
    await dataSource.query(
      `INSERT INTO course_progress (course_id, user_id, unit_id, branch_id, required_total, required_done, credit_hours, completed, completed_at)
       SELECT ?, u.id, u.unit_id, u.branch_id, 5, IF((u.id + ?) % 4 = 0, 2, 5), (u.id * 7 + ?) % 16, (u.id + ?) % 4 <> 0, IF((u.id + ?) % 4 <> 0, NOW(3), NULL)
         FROM users u WHERE u.role = 'secretary' AND u.username LIKE 'asec-%' AND (u.id + ?) % 5 <> 0`,
      [courseId, n, n, n, n, n],
    );
  }
  await dataSource.query(
    `INSERT INTO reflections (activity_id, course_id, user_id, body, char_count, status, excellent)
     SELECT ?, ?, u.id, '心得（基准数据）', 8, 'approved', 1 FROM users u WHERE u.username LIKE 'asec-%' AND u.id % 5 = 0`,
    [reading.insertId, courses[0]],
  );
  await dataSource.query(
    `INSERT INTO suggestions (author_id, unit_id, title, body, created_at)
     SELECT u.id, u.unit_id, '建议', '基准数据', MAKEDATE(?, 1) + INTERVAL (u.id % 300) DAY FROM users u WHERE u.username LIKE 'asec-%' AND u.id % 3 = 0`,
    [year],
  );
  await dataSource.query(`INSERT INTO branch_plans (branch_id, year, status) SELECT id, ?, IF(id % 9 = 0, 'submitted', 'approved') FROM branches`, [year]);
  await dataSource.query(
    `INSERT INTO plan_items (plan_id, month, kind, title, position)
     SELECT p.id, m.n, 'own', CONCAT(m.n, '月计划'), m.n FROM branch_plans p
       CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
                   UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) m
      WHERE p.year = ?`,
    [year],
  );
  await dataSource.query(
    `INSERT INTO plan_item_records (plan_item_id, record_id, accepted)
     SELECT i.id, i.id, (i.id % 3) <> 0 FROM plan_items i JOIN branch_plans p ON p.id = i.plan_id WHERE p.year = ? AND i.month <= 1 + p.branch_id % 10`,
    [year],
  );
}

/** The seven automatic scores of every branch in one hand-written statement (a past year: every period required). */
async function handWritten(dataSource: DataSource, year: number, versionId: string): Promise<Map<string, Record<string, number>>> {
  const from = new Date(`${year}-01-01T00:00:00+08:00`);
  const to = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  const share = (part: string, whole: string) => `IF(${whole} > 0, ROUND(LEAST(1, ${part} / ${whole}) * 100, 2), 0)`;
  const rows: Record<string, string>[] = await dataSource.query(
    `SELECT b.id,
            ${share('COALESCE(t.completed, 0)', 'COALESCE(t.enrolled, 0)')} AS completion,
            IF(COALESCE(s.n, 0) > 0, ROUND(LEAST(1, ROUND(COALESCE(t.hours, 0) / s.n, 2) / 32) * 100, 2), 0) AS hours,
            IF(COALESCE(h.required, 0) > 0, ROUND(h.met / h.required * 100, 2), 100) AS compliance,
            ${share('COALESCE(r.on_time, 0)', 'COALESCE(r.handed_in, 0)')} AS ontime,
            ${share('COALESCE(pl.done, 0)', 'COALESCE(pl.items, 0)')} AS plan,
            ${share('COALESCE(rx.n, 0)', '1')} AS excellent,
            ${share('COALESCE(sx.n, 0)', '2')} AS suggest
       FROM branches b
       LEFT JOIN (SELECT branch_id, COUNT(*) AS n FROM users WHERE role = 'secretary' AND active = 1 GROUP BY branch_id) s ON s.branch_id = b.id
       LEFT JOIN (SELECT u.branch_id, COUNT(*) AS enrolled, SUM(cp.completed) AS completed, SUM(cp.credit_hours) AS hours
                    FROM course_progress cp
                    JOIN users u ON u.id = cp.user_id AND u.role = 'secretary' AND u.active = 1
                    JOIN courses c ON c.id = cp.course_id AND c.status <> 'draft' AND c.starts_at >= ? AND c.starts_at < ?
                   WHERE cp.active = 1 GROUP BY u.branch_id) t ON t.branch_id = b.id
       LEFT JOIN (SELECT x.branch_id, SUM(LEAST(x.required, COALESCE(x.accepted, 0))) AS met, SUM(x.required) AS required
                    FROM (SELECT b2.id AS branch_id, n.min_count * CASE n.per WHEN 'month' THEN 12 WHEN 'quarter' THEN 4 ELSE 1 END AS required, c.accepted
                            FROM branches b2
                            JOIN norms n ON n.version_id = ? AND n.branch_kinds LIKE CONCAT('%"', b2.kind, '"%')
                            LEFT JOIN branch_work_counts c ON c.branch_id = b2.id AND c.year = ? AND c.kind = n.kind) x
                   GROUP BY x.branch_id) h ON h.branch_id = b.id
       LEFT JOIN (SELECT branch_id, COUNT(*) AS handed_in, SUM(submitted_at <= held_at + INTERVAL 7 DAY) AS on_time
                    FROM branch_records WHERE year = ? AND status IN ('submitted', 'accepted') GROUP BY branch_id) r ON r.branch_id = b.id
       LEFT JOIN (SELECT p.branch_id, COUNT(*) AS items, SUM(EXISTS (SELECT 1 FROM plan_item_records pr WHERE pr.plan_item_id = i.id AND pr.accepted = 1)) AS done
                    FROM branch_plans p JOIN plan_items i ON i.plan_id = p.id
                   WHERE p.year = ? AND p.status = 'approved' GROUP BY p.branch_id) pl ON pl.branch_id = b.id
       LEFT JOIN (SELECT u.branch_id, COUNT(*) AS n FROM reflections rf
                    JOIN users u ON u.id = rf.user_id AND u.role = 'secretary' AND u.active = 1
                    JOIN courses c ON c.id = rf.course_id AND c.status <> 'draft' AND c.starts_at >= ? AND c.starts_at < ?
                   WHERE rf.status = 'approved' AND rf.excellent = 1 GROUP BY u.branch_id) rx ON rx.branch_id = b.id
       LEFT JOIN (SELECT u.branch_id, COUNT(*) AS n FROM suggestions sg
                    JOIN users u ON u.id = sg.author_id AND u.role = 'secretary' AND u.active = 1
                   WHERE sg.created_at >= ? AND sg.created_at < ? GROUP BY u.branch_id) sx ON sx.branch_id = b.id`,
    [from, to, versionId, year, year, year, from, to, from, to],
  );
  return new Map(rows.map((r) => [String(r.id), Object.fromEntries(AUTO_KEYS.map((key) => [key, Number(r[key])]))]));
}
