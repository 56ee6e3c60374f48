import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup';
import { seedBranchWork } from '../src/database/branch-work-seed';
import { SCALE_PASSWORD } from '../src/database/scale-seed';
import { NormsService } from '../src/norms/norms.service';
import { hashPassword } from '../src/users/passwords';
import type { BenchResult } from './run';
import { benchDatabase, login, ms, timed } from './support';

// BENCH_BRANCH_WORK_BRANCHES=2000 for a quicker look while working on the report.
const BRANCHES = Number(process.env.BENCH_BRANCH_WORK_BRANCHES ?? 12_000);
const RUNS = 30;
const TARGET_P95 = 300;

interface UnitFigures {
  unitId: string;
  branches: number;
  required: number;
  accepted: number;
  overdue: number;
  waitingReview: number;
}
interface Overview {
  total: number;
  byUnit: UnitFigures[];
}

/**
 * Branch-work compliance at province size: 12,000 branches (120 units) × a year of handbook records (~530,000)
 * seeded like `npm run seed:scale -- --branch-work`. p50/p95 of GET /api/reports/branch-work over real HTTP for
 * the department (every unit rolled up, first page of branches) and for a unit admin (their 100 branches),
 * against the same run's hand-written GROUP BY computing the same by-unit figures in one statement — and a
 * check that both give the same numbers. The year seeded is last year, so every period is over and the
 * whole year is required.
 */
export async function branchWorkBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('branchwork');
  const app = await createApp(config);
  try {
    const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() - 1;
    const seeded = await seedBranchWork(dataSource, { branches: BRANCHES, year, passwordHash: await hashPassword(SCALE_PASSWORD) });
    await dataSource.query('ANALYZE TABLE branch_records, branches, units');
    const norms = await app.get(NormsService).forYear(year);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    const get = (token: string) => async (): Promise<Overview> => {
      const response = await fetch(`${base}/reports/branch-work?year=${year}&pageSize=20`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`branch-work: ${response.status} ${await response.text()}`);
      return (await response.json()) as Overview;
    };
    const department = await timed(RUNS, get(await login(base, seeded.adminUsername)));
    const unit = await timed(RUNS, get(await login(base, seeded.unitAdminUsername)));
    const hand = await timed(RUNS, () => handWritten(dataSource, year, norms.versionId));
    const same = sameFigures(department.value.byUnit, hand.value);

    const label = `${seeded.branches.toLocaleString('en')} branches × ${seeded.records.toLocaleString('en')} records`;
    const rows: BenchResult['rows'] = [
      {
        metric: `${label}: department overview p50 / p95`,
        value: `${ms(department.p50)} / ${ms(department.p95)}`,
        baseline: `${ms(hand.p50)} / ${ms(hand.p95)} hand-written GROUP BY`,
        target: `p95 ≤ ${TARGET_P95} ms and ≤ 1.5× hand-written: ${department.p95 <= TARGET_P95 && department.p95 <= hand.p95 * 1.5 ? 'met' : 'NOT met'}`,
      },
      {
        metric: `one unit (${unit.value.total} branches): unit admin's overview p50 / p95`,
        value: `${ms(unit.p50)} / ${ms(unit.p95)}`,
        target: `p95 ≤ ${TARGET_P95} ms: ${unit.p95 <= TARGET_P95 ? 'met' : 'NOT met'}`,
      },
      {
        metric: 'same numbers as the hand-written SQL (by unit: branches, required, accepted, overdue, waiting)',
        value: same ? 'yes' : 'NO',
        baseline: `${seeded.units} units; seeded in ${seeded.seconds.toFixed(0)} s`,
      },
    ];
    if (!same) throw new Error('branch-work: the report and the hand-written SQL disagree');
    return { name: `branch-work compliance over HTTP (${label}, year ${year})`, rows };
  } finally {
    await app.close();
    await drop();
  }
}

/**
 * The by-unit figures in one hand-written statement: every branch × each norm of the year's version that
 * applies to its kind, its accepted records of that kind (GROUP BY branch and kind), and the records waiting.
 * A past year: the whole year is required (min_count × periods in the year), and all of the shortfall is overdue.
 */
async function handWritten(dataSource: DataSource, year: number, versionId: string): Promise<UnitFigures[]> {
  const rows: Record<string, string>[] = await dataSource.query(
    `SELECT b.unit_id,
            COUNT(DISTINCT b.id) AS branches,
            SUM(n.min_count * CASE n.per WHEN 'month' THEN 12 WHEN 'quarter' THEN 4 ELSE 1 END) AS required,
            SUM(COALESCE(c.accepted, 0)) AS accepted,
            SUM(GREATEST(0, n.min_count * CASE n.per WHEN 'month' THEN 12 WHEN 'quarter' THEN 4 ELSE 1 END - COALESCE(c.accepted, 0))) AS overdue,
            MAX(w.waiting) AS waiting_check
       FROM branches b
       JOIN norms n ON n.version_id = ? AND n.branch_kinds LIKE CONCAT('%"', b.kind, '"%')
       LEFT JOIN (SELECT branch_id, kind, COUNT(*) AS accepted FROM branch_records
                   WHERE year = ? AND status = 'accepted' GROUP BY branch_id, kind) c ON c.branch_id = b.id AND c.kind = n.kind
       LEFT JOIN (SELECT b2.unit_id, COUNT(*) AS waiting FROM branch_records r JOIN branches b2 ON b2.id = r.branch_id
                   WHERE r.year = ? AND r.status = 'submitted' GROUP BY b2.unit_id) w ON w.unit_id = b.unit_id
      GROUP BY b.unit_id`,
    [versionId, year, year],
  );
  return rows.map((r) => ({
    unitId: String(r.unit_id),
    branches: Number(r.branches),
    required: Number(r.required),
    accepted: Number(r.accepted),
    overdue: Number(r.overdue),
    waitingReview: Number(r.waiting_check ?? 0),
  }));
}

function sameFigures(report: UnitFigures[], hand: UnitFigures[]): boolean {
  const key = (rows: UnitFigures[]) =>
    JSON.stringify(rows.map((r) => [r.unitId, r.branches, r.required, r.accepted, r.overdue, r.waitingReview]).sort((a, b) => Number(a[0]) - Number(b[0])));
  return key(report) === key(hand);
}
