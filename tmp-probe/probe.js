require('reflect-metadata');
const { DataSource } = require('typeorm');
const { loadConfig } = require('/work/wt-oversight18/dist/src/config/config');
const { dataSourceOptions } = require('/work/wt-oversight18/dist/src/database/data-source');
const { dropDatabase, ensureDatabase } = require('/work/wt-oversight18/dist/src/database/ensure-database');
const { seedBranchWork } = require('/work/wt-oversight18/dist/src/database/branch-work-seed');
(async () => {
  const env = { ...process.env, DB_NAME: 't_oversight18_probe', LOG_LEVEL: 'silent' };
  const config = loadConfig(env);
  const fresh = process.argv[2] === 'seed';
  if (fresh) await dropDatabase(config, config.db.name).catch(() => undefined);
  const flavor = await ensureDatabase(config);
  const ds = new DataSource(dataSourceOptions(config, flavor));
  await ds.initialize();
  if (fresh) {
    await ds.runMigrations({ transaction: 'each' });
    const r = await seedBranchWork(ds, { branches: 12000, year: 2025, passwordHash: 'x', log: () => {} });
    console.log(r);
    await ds.query('ANALYZE TABLE branch_records, branches, units');
  }
  const kinds = ['members_meeting','committee_meeting','group_meeting','party_lecture','theme_day','life_meeting','member_review','heart_talk'];
  const t = async (label, f) => { const s = performance.now(); let r; for (let i = 0; i < 5; i++) r = await f(); console.log(label, ((performance.now() - s) / 5).toFixed(0), 'ms', Array.isArray(r) ? r.length : ''); };
  await t('branches', () => ds.query(`SELECT b.id, b.name, b.kind, b.unit_id, u.name AS unit FROM branches b JOIN units u ON u.id = b.unit_id ORDER BY u.name, b.name, b.id`));
  await t('branches unsorted', () => ds.query(`SELECT b.id, b.name, b.kind, b.unit_id, u.name AS unit FROM branches b JOIN units u ON u.id = b.unit_id`));
  const cols = kinds.map((_k, i) => `SUM(r.status = 'accepted' AND r.kind = ?) AS k${i}`).join(', ');
  await t('pivot', () => ds.query(`SELECT r.branch_id, SUM(r.status = 'submitted') AS waiting, ${cols} FROM branch_records r WHERE r.year = ? AND r.status IN ('accepted','submitted') GROUP BY r.branch_id`, [...kinds, 2025]));
  await t('group by branch,kind accepted', () => ds.query(`SELECT branch_id, kind, COUNT(*) n FROM branch_records WHERE year = ? AND status = 'accepted' GROUP BY branch_id, kind`, [2025]));
  await t('group by branch submitted', () => ds.query(`SELECT branch_id, COUNT(*) n FROM branch_records WHERE year = ? AND status = 'submitted' GROUP BY branch_id`, [2025]));
  const cols2 = kinds.map((_k, i) => `SUM(r.kind = ?) AS k${i}`).join(', ');
  await t('pivot accepted only', () => ds.query(`SELECT r.branch_id, ${cols2} FROM branch_records r WHERE r.year = ? AND r.status = 'accepted' GROUP BY r.branch_id`, [...kinds, 2025]));
  await t('pivot accepted only, unit', () => ds.query(`SELECT r.branch_id, ${cols2} FROM branch_records r JOIN branches b ON b.id = r.branch_id WHERE r.year = ? AND r.status = 'accepted' AND b.unit_id = ? GROUP BY r.branch_id`, [...kinds, 2025, 1]));
  await t('count accepted', () => ds.query(`SELECT COUNT(*) FROM branch_records r WHERE r.year = ? AND r.status = 'accepted'`, [2025]));
  console.log(JSON.stringify(await ds.query(`EXPLAIN SELECT r.branch_id, ${cols2} FROM branch_records r WHERE r.year = ? AND r.status = 'accepted' GROUP BY r.branch_id`, [...kinds, 2025])));
  console.log(JSON.stringify(await ds.query(`EXPLAIN SELECT r.branch_id, SUM(r.status = 'submitted') AS waiting, ${cols} FROM branch_records r WHERE r.year = ? AND r.status IN ('accepted','submitted') GROUP BY r.branch_id`, [...kinds, 2025])));
  await ds.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
