import { DataSource } from 'typeorm';

export const SCALE_PASSWORD = 'Scale@2026';
const DAY_S = 24 * 3600;
/** Learners at or above this diligence (0–99) finish everything: about 30 % of the class. */
const FINISHERS_FROM = 70;
const CHUNK = 5000;

export interface ScaleOptions {
  learners: number;
  activities: number;
  /** Distinguishes the usernames, codes and titles of one run from another's in the same database. */
  tag?: string;
  log?: (line: string) => void;
  /** The stored hash of SCALE_PASSWORD, given by the caller (the hasher belongs to auth, above this folder). */
  passwordHash: string;
  /**
   * The database was created for this class and nothing else writes to it: the big tables are loaded with
   * the session's unique and foreign-key checks off, one transaction per table, which MariaDB (10.7+) turns
   * into a sorted bulk load of every index when the table starts empty. Never for a database in use.
   */
  freshDatabase?: boolean;
  /** Builds the course's stored summaries and completion counters: the progress engine's own rebuild. */
  rebuildCourse: (courseId: string) => Promise<unknown>;
}

export interface ScaleResult {
  courseId: string;
  learners: number;
  activities: number;
  units: number;
  branches: number;
  activityStates: number;
  adminUsername: string;
  unitAdminUsername: string;
  seconds: number;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建红梅琳飞波斌宇浩凯健俊帆晨博文雪婷颖倩楠晶辉鑫亮成岚';

/**
 * Test data for benchmarks and trying the dashboard (infrastructure, like the migrations: it writes every
 * module's tables directly, and imports none of them).
 *
 * A province-sized class in a few bulk statements: units of ~500 secretaries, branches of ~8, one course
 * with `activities` activities spread over a 90-day period (70 days gone), and activity states spread over
 * those 70 days — a third of the class finishes, the rest stops somewhere along the way, with gaps. Users and
 * plan rows are multi-row INSERTs; activity states and the 学时 ledger are INSERT … SELECT per 5,000
 * learners; the stored summaries and completion counters are then built by the progress engine's own rebuild,
 * exactly as `npm run progress:rebuild` would.
 */
export async function seedScale(dataSource: DataSource, options: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const tag = options.tag ?? '';
  const { learners, activities } = options;
  const unitCount = Math.max(1, Math.round(learners / 500));
  const branchCount = Math.max(1, Math.ceil(learners / 8));
  const hash = options.passwordHash;

  const units = await insertRows(dataSource, 'units', ['name', 'code'], Array.from({ length: unitCount }, (_, i) => [`基准第${i + 1}二级党组织${tag}`, `SU${tag}-${i + 1}`]), 'code');
  const branches = await insertRows(
    dataSource,
    'branches',
    ['unit_id', 'name', 'code', 'kind'],
    Array.from({ length: branchCount }, (_, i) => [units[i % unitCount], `第${i + 1}党支部`, `SB${tag}-${i + 1}`, i % 3 === 0 ? 'student' : 'staff']),
    'code',
  );
  const unitOf = (b: number) => units[b % unitCount];
  log(`${unitCount} units, ${branchCount} branches`);

  const adminUsername = `scale-admin${tag}`;
  const unitAdminUsername = `scale-unit-admin${tag}`;
  await insertRows(dataSource, 'users', ['username', 'name', 'role', 'branch_id', 'unit_id', 'password_hash'], [
    [adminUsername, '组织部（基准）', 'admin', null, null, hash],
    [unitAdminUsername, '二级党组织管理员（基准）', 'admin', null, units[0], hash],
  ], 'username');
  const people = Array.from({ length: learners }, (_, i) => {
    const b = i % branchCount;
    const name = SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 13) % GIVEN.length] + (i % 3 ? GIVEN[(i * 29) % GIVEN.length] : '');
    return [`S${tag}${String(i + 1).padStart(6, '0')}`, name, 'secretary', branches[b], unitOf(b), hash];
  });
  const userIds = await insertRows(dataSource, 'users', ['username', 'name', 'role', 'branch_id', 'unit_id', 'password_hash'], people, 'username');
  log(`${learners} learners in ${seconds(started)}`);

  const { insertId } = await dataSource.query(
    `INSERT INTO courses (title, description, starts_at, ends_at, status, published_at)
     VALUES (?, '基准数据：用于仪表盘性能测试', NOW(3) - INTERVAL 70 DAY, NOW(3) + INTERVAL 20 DAY, 'published', NOW(3) - INTERVAL 70 DAY)`,
    [`全省党支部书记培训班（基准${tag}）`],
  );
  const courseId = String(insertId);
  const sections: string[] = [];
  for (const [i, month] of ['九月', '十月', '十一月', '十二月'].entries()) {
    const section = await dataSource.query(`INSERT INTO sections (course_id, title, position) VALUES (?, ?, ?)`, [courseId, `${month}学习安排`, i]);
    sections.push(String(section.insertId));
  }
  const types = ['video', 'reading', 'quiz', 'discussion', 'session'] as const;
  const settings = {
    video: { durationSeconds: 1200, completionPercent: 90 },
    reading: { body: '# 学习材料\n\n认真阅读并撰写心得体会。', minReflectionLength: 200, reflectionNeedsApproval: false },
    quiz: { passPercent: 60, maxAttempts: 3, shuffleOptions: false, showAnswersAfterSubmit: false, grading: 'best', questions: [{ kind: 'truefalse', prompt: '三会一课是党的组织生活基本制度。', answer: true, points: 1 }] },
    discussion: { prompt: '结合本支部实际谈谈体会。', minPosts: 1, minReplies: 0, minPostLength: 0 },
  };
  const activityRows = Array.from({ length: activities }, (_, k) => {
    const type = types[k % types.length];
    // Due dates spread over the 90-day period; the first ~3/4 are already past.
    const dueDays = Math.round(((k + 1) / activities) * 90) - 70;
    const session = { startsAt: new Date(Date.now() + (dueDays - 1) * DAY_S * 1000).toISOString(), endsAt: new Date(Date.now() + (dueDays - 1) * DAY_S * 1000 + 7200_000).toISOString(), location: '省委党校报告厅' };
    return [courseId, sections[Math.min(3, Math.floor((k / activities) * 4))], type, `第${k + 1}讲 ${type === 'session' ? '集中培训' : '学习任务'}`, k % 10 === 9 ? 0 : 1, [1, 1.5, 2][k % 3], dueDays, k, JSON.stringify(type === 'session' ? session : settings[type])];
  });
  await dataSource.query(
    `INSERT INTO activities (course_id, section_id, type, title, required, credit_hours, due_at, position, settings) VALUES ${activityRows
      .map(() => '(?, ?, ?, ?, ?, ?, NOW(3) + INTERVAL ? DAY, ?, ?)')
      .join(', ')}`,
    activityRows.flat(),
  );

  // Activity states, INSERT … SELECT per block of learners. Diligence d (0–99) decides how far a learner got;
  // below FINISHERS_FROM a few activities along the way are skipped; the next two are in progress.
  const period = 70 * DAY_S;
  const blocks = Array.from({ length: Math.ceil(userIds.length / CHUNK) }, (_, b) => userIds.slice(b * CHUNK, (b + 1) * CHUNK));
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    // Only this connection's checks: the generated rows are consistent by construction.
    if (options.freshDatabase) await session.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
    const load = async <T>(table: string, steps: T[], statement: (step: T) => Promise<unknown>) => {
      const began = Date.now();
      await session.startTransaction();
      try {
        for (const step of steps) await statement(step);
        await session.commitTransaction();
      } catch (error) {
        await session.rollbackTransaction();
        throw error;
      }
      const [{ n }] = await session.query(`SELECT COUNT(*) AS n FROM ${table} WHERE course_id = ?`, [courseId]);
      log(`${table}: ${Number(n).toLocaleString('en')} rows in ${seconds(began)}`);
    };
    await load('enrollments', blocks, (block) =>
      session.query(`INSERT INTO enrollments (course_id, user_id, status, source, enrolled_at) SELECT ?, id, 'active', 'all', NOW(3) - INTERVAL 70 DAY FROM users WHERE id IN (?)`, [
        courseId,
        block,
      ]),
    );
    await load('activity_progress', blocks, (block) =>
      session.query(
        `INSERT INTO activity_progress (course_id, activity_id, user_id, state, percent, started_at, completed_at, last_event_at)
         SELECT ?, x.id, x.user_id,
                IF(x.done, 'completed', 'in_progress'), IF(x.done, 100, (x.user_id + x.k) % 90),
                x.at - INTERVAL 1 HOUR, IF(x.done, x.at, NULL), x.at
           FROM (SELECT a.id, a.k, u.id AS user_id,
                        a.k < u.reach AND (u.d >= ${FINISHERS_FROM} OR (u.id * 31 + a.k * 17) % 11 <> 0) AS done,
                        LEAST(NOW(3) - INTERVAL 1 MINUTE,
                              (NOW(3) - INTERVAL 70 DAY) + INTERVAL FLOOR((a.k + 0.5) / ? * ? * (0.6 + u.d / 250) + (u.id * 13 + a.k * 7) % 86400) SECOND) AS at
                   FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) - 1 AS k FROM activities WHERE course_id = ?) a
                   JOIN (SELECT id, (id * 7919) % 100 AS d, LEAST(?, FLOOR(? * ((id * 7919) % 100) / ${FINISHERS_FROM})) AS reach
                           FROM users WHERE id IN (?)) u ON a.k < u.reach + 2) x`,
        [courseId, activities, period, courseId, activities, activities, block],
      ),
    );
    // The 学时 ledger of those completions, read back in primary-key ranges (forced: left alone, the optimizer
    // starts from the 50 activities and reads the states through a secondary index, at random once the table
    // outgrows the buffer pool, as looking them up by learner also would).
    const [{ lo, hi }] = await session.query(`SELECT MIN(id) AS lo, MAX(id) AS hi FROM activity_progress WHERE course_id = ?`, [courseId]);
    const ranges: [string, string][] = [];
    for (let from = BigInt(lo ?? 1); lo !== null && from <= BigInt(hi); from += BigInt(CHUNK * activities)) ranges.push([String(from), String(from + BigInt(CHUNK * activities) - 1n)]);
    await load('credit_entries', ranges, ([from, to]) =>
      session.query(
        `INSERT INTO credit_entries (entry_key, course_id, user_id, activity_id, hours, source, reason, created_at)
         SELECT CONCAT('c:', ap.activity_id, ':', ap.user_id, ':0'), ap.course_id, ap.user_id, ap.activity_id, a.credit_hours,
                IF(a.type = 'session', 'offline', 'online'), CONCAT('completed: ', a.title), ap.completed_at
           FROM activity_progress ap FORCE INDEX (PRIMARY) STRAIGHT_JOIN activities a ON a.id = ap.activity_id
          WHERE ap.id BETWEEN ? AND ? AND ap.course_id = ? AND ap.state = 'completed'`,
        [from, to, courseId],
      ),
    );
  } finally {
    if (options.freshDatabase) await session.query('SET SESSION unique_checks = 1, foreign_key_checks = 1');
    await session.release();
  }
  const [{ n }] = await dataSource.query(`SELECT COUNT(*) AS n FROM activity_progress WHERE course_id = ?`, [courseId]);

  // The stored summaries and completion counters, by the engine's own rebuild.
  const rebuilding = Date.now();
  await options.rebuildCourse(courseId);
  log(`summaries and counters rebuilt in ${seconds(rebuilding)}`);
  return {
    courseId,
    learners,
    activities,
    units: unitCount,
    branches: branchCount,
    activityStates: Number(n),
    adminUsername,
    unitAdminUsername,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Multi-row INSERTs of CHUNK rows; returns the new ids in row order, read back by the unique column `key`
 * (auto-increment ids need not be consecutive: innodb_autoinc_lock_mode 2, the MySQL 8 default).
 */
async function insertRows(dataSource: DataSource, table: string, columns: string[], rows: unknown[][], key: string): Promise<string[]> {
  const ids: string[] = [];
  const at = columns.indexOf(key);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await dataSource.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [chunk]);
    const found: Record<string, unknown>[] = await dataSource.query(`SELECT id, ${key} AS k FROM ${table} WHERE ${key} IN (?)`, [chunk.map((r) => r[at])]);
    const byKey = new Map(found.map((r) => [String(r.k), String(r.id)]));
    for (const row of chunk) ids.push(byKey.get(String(row[at]))!);
  }
  return ids;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
