process.env.DB_NAME='scale100k_base'; process.env.REDIS_PREFIX='s100t';
const { NestFactory } = require('@nestjs/core');
(async () => { try {
  const { AppModule } = require('./dist/src/app.module');
  const { loadConfig } = require('./dist/src/config/config');
  const app = await NestFactory.createApplicationContext(AppModule.withConfig(loadConfig()), { logger: ['error'] });
  const { ReportsRepository } = require('./dist/src/reports/reports.repository');
  const ds = app.get(require('typeorm').DataSource);
  const repo = app.get(ReportsRepository);
  const scope = { courseId: '1', closed: false, unitId: null, branchId: null };
  const t = async (name, f) => { const out = []; for (let i = 0; i < 6; i++) { const s = performance.now(); await f(); out.push(Math.round(performance.now() - s)); } console.log(name, out.join(' ')); };
  await t('branchSums', () => repo.branchSums(scope, 40, new Date()));
  await t('progressCells', () => repo.progressCells(scope, new Date(Date.now() - 70 * 864e5), 40));
  await t('raw branch SQL', () => ds.query(`SELECT s.unit_id, s.branch_id, COUNT(*) AS enrolled, SUM(s.completed) AS completed, SUM(CASE WHEN s.required_total > 0 THEN LEAST(1, s.required_done / s.required_total) END) AS required_sum, SUM(LEAST(1, s.credit_hours / 40)) AS hours_sum, SUM(s.completed = 0 AND s.first_missing_due_at < NOW()) AS overdue FROM course_progress s WHERE s.course_id = 1 AND s.active = 1 GROUP BY s.unit_id, s.branch_id`));
  await t('raw branch SQL count only', () => ds.query(`SELECT COUNT(*) FROM (SELECT s.unit_id, s.branch_id, COUNT(*) AS enrolled, SUM(s.completed) AS completed, SUM(CASE WHEN s.required_total > 0 THEN LEAST(1, s.required_done / s.required_total) END) AS required_sum, SUM(LEAST(1, s.credit_hours / 40)) AS hours_sum, SUM(s.completed = 0 AND s.first_missing_due_at < NOW()) AS overdue FROM course_progress s WHERE s.course_id = 1 AND s.active = 1 GROUP BY s.unit_id, s.branch_id) x`));
  await t('both parallel', () => Promise.all([repo.branchSums(scope, 40, new Date()), repo.progressCells(scope, new Date(Date.now() - 70 * 864e5), 40)]));
  await app.close(); } catch (e) { console.error(e); process.exit(1); }
})();
