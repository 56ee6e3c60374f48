import { DataSource } from 'typeorm';

const CHUNK_BRANCHES = 1000;

/**
 * The year's activities a branch that keeps the shipped norms (content/norms/default.yaml) records: the
 * monthly ones every month, the quarterly ones in each quarter's first or second month, the yearly ones late in
 * the year. 48 records per branch.
 */
const SCHEDULE: { kind: string; name: string; months: number[] }[] = [
  { kind: 'members_meeting', name: '支部党员大会', months: [1, 4, 7, 10] },
  { kind: 'committee_meeting', name: '支部委员会会议', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  { kind: 'group_meeting', name: '党小组会', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  { kind: 'party_lecture', name: '党课', months: [2, 5, 8, 11] },
  { kind: 'theme_day', name: '主题党日', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  { kind: 'life_meeting', name: '组织生活会', months: [12] },
  { kind: 'member_review', name: '民主评议党员', months: [12] },
  { kind: 'heart_talk', name: '谈心谈话', months: [3, 9] },
];

export interface BranchWorkScaleOptions {
  branches: number;
  /** Branches per unit (二级党组织). */
  branchesPerUnit?: number;
  /** The Beijing year the records are held in. */
  year: number;
  tag?: string;
  passwordHash: string;
  log?: (line: string) => void;
}

export interface BranchWorkScaleResult {
  units: number;
  branches: number;
  records: number;
  year: number;
  adminUsername: string;
  unitAdminUsername: string;
  seconds: number;
}

/**
 * A province's branch work for benchmarks (infrastructure, like scale-seed.ts: it writes the tables directly
 * and imports no module): `branches` branches in units of `branchesPerUnit`, each with a year of handbook
 * records after the shipped norms' schedule. Most branches keep nearly all of it; one in seven skips about a
 * third (the branches behind). Of the records held, about 5 % wait for review, 2 % were returned, 2 % are
 * drafts, the rest accepted. INSERT … SELECT per 1,000 branches (48,000 records a statement).
 */
export async function seedBranchWork(dataSource: DataSource, options: BranchWorkScaleOptions): Promise<BranchWorkScaleResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const tag = options.tag ?? '';
  const perUnit = options.branchesPerUnit ?? 100;
  const unitCount = Math.max(1, Math.ceil(options.branches / perUnit));

  await dataSource.query(`INSERT INTO units (name, code) VALUES ?`, [Array.from({ length: unitCount }, (_, i) => [`省属第${i + 1}二级党组织${tag}`, `WU${tag}-${i + 1}`])]);
  const units: { id: string }[] = await dataSource.query(`SELECT id FROM units WHERE code LIKE ? ORDER BY id`, [`WU${tag}-%`]);
  for (let i = 0; i < options.branches; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, options.branches - i) }, (_, k) => {
      const n = i + k;
      return [units[n % unitCount].id, `第${n + 1}党支部`, `WB${tag}-${n + 1}`, n % 3 === 0 ? 'student' : 'staff'];
    });
    await dataSource.query(`INSERT INTO branches (unit_id, name, code, kind) VALUES ?`, [rows]);
  }
  const branchIds: string[] = (await dataSource.query(`SELECT id FROM branches WHERE code LIKE ? ORDER BY id`, [`WB${tag}-%`])).map((r: { id: string }) => String(r.id));
  log(`${unitCount} units, ${branchIds.length} branches`);

  const adminUsername = `work-admin${tag}`;
  const unitAdminUsername = `work-unit-admin${tag}`;
  await dataSource.query(`INSERT INTO users (username, name, role, branch_id, unit_id, password_hash) VALUES ?`, [
    [
      [adminUsername, '组织部（支部工作基准）', 'admin', null, null, options.passwordHash],
      [unitAdminUsername, '二级党组织管理员（支部工作基准）', 'admin', null, units[0].id, options.passwordHash],
    ],
  ]);
  const [admin] = await dataSource.query(`SELECT id FROM users WHERE username = ?`, [adminUsername]);

  // The schedule as a derived table: one row per record a branch holds in the year (n numbers them).
  const slots = SCHEDULE.flatMap((s) => s.months.map((month) => ({ kind: s.kind, name: s.name, month })));
  const schedule = slots.map(() => 'SELECT ? AS n, ? AS kind, ? AS name, ? AS month').join(' UNION ALL ');
  const scheduleParams = slots.flatMap((s, n) => [n, s.kind, s.name, s.month]);
  for (let i = 0; i < branchIds.length; i += CHUNK_BRANCHES) {
    const block = branchIds.slice(i, i + CHUNK_BRANCHES);
    // Per branch and slot, h (0–99) decides whether it was held (behind branches skip below 35, others below 4)
    // and g (0–99) its state: submitted, returned, draft or accepted. 14:00 Beijing time is 06:00 UTC.
    await dataSource.query(
      `INSERT INTO branch_records (branch_id, year, kind, title, held_at, place, minutes, status, present_full, present_probationary,
                                   absent_count, created_by, submitted_at, reviewed_by, reviewed_at)
       SELECT x.branch_id, ?, x.kind, CONCAT(x.month, '月', x.name), x.held_at, '党员活动室', '会议记录（基准数据）。',
              CASE WHEN x.g < 5 THEN 'submitted' WHEN x.g < 7 THEN 'returned' WHEN x.g < 9 THEN 'draft' ELSE 'accepted' END,
              8 + x.g % 5, x.g % 3, x.g % 2, ?,
              IF(x.g < 7 OR x.g >= 9, x.held_at + INTERVAL 1 DAY, NULL),
              IF(x.g >= 5 AND x.g < 7 OR x.g >= 9, ?, NULL),
              IF(x.g >= 5 AND x.g < 7 OR x.g >= 9, x.held_at + INTERVAL 3 DAY, NULL)
         FROM (SELECT b.id AS branch_id, s.kind, s.name, s.month, (b.id * 7919 + s.n * 104729) % 100 AS h, (b.id * 31 + s.n * 17) % 100 AS g,
                      MAKEDATE(?, 1) + INTERVAL (s.month - 1) MONTH + INTERVAL ((b.id + s.n) % 25) DAY + INTERVAL 6 HOUR AS held_at,
                      b.id % 7 = 0 AS behind
                 FROM branches b CROSS JOIN (${schedule}) s
                WHERE b.id IN (?)) x
        WHERE x.h >= IF(x.behind, 35, 4)`,
      [options.year, admin.id, admin.id, options.year, ...scheduleParams, block],
    );
    // The stored counts the overview reads, as the handbook's record events keep them for records written through the app.
    await dataSource.query(
      `INSERT INTO branch_work_counts (year, branch_id, kind, accepted, submitted)
       SELECT year, branch_id, kind, SUM(status = 'accepted'), SUM(status = 'submitted')
         FROM branch_records WHERE year = ? AND branch_id IN (?) AND status IN ('accepted', 'submitted')
        GROUP BY year, branch_id, kind`,
      [options.year, block],
    );
    log(`records: ${Math.min(branchIds.length, i + CHUNK_BRANCHES)} / ${branchIds.length} branches`);
  }
  const [{ n }] = await dataSource.query(`SELECT COUNT(*) AS n FROM branch_records WHERE year = ?`, [options.year]);
  return {
    units: unitCount,
    branches: branchIds.length,
    records: Number(n),
    year: options.year,
    adminUsername,
    unitAdminUsername,
    seconds: (Date.now() - started) / 1000,
  };
}
