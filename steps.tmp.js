process.env.DB_NAME = process.argv[2] || 'scale100k_base'; process.env.REDIS_PREFIX = 's100steps';
const { NestFactory } = require('@nestjs/core');
(async () => { try {
  const { AppModule } = require('./dist/src/app.module');
  const { loadConfig } = require('./dist/src/config/config');
  const app = await NestFactory.createApplicationContext(AppModule.withConfig(loadConfig()), { logger: ['error'] });
  const get = (p, n) => app.get(require(p)[n]);
  const ds = app.get(require('typeorm').DataSource);
  const m = ds.manager;
  const membership = get('./dist/src/progress/progress-membership.service', 'ProgressMembershipService');
  const summaries = get('./dist/src/progress/course-progress.repository', 'CourseProgressRepository');
  const counters = get('./dist/src/progress/done-counters.repository', 'DoneCountersRepository');
  const activities = get('./dist/src/courses/activities.repository', 'ActivitiesRepository');
  const courses = get('./dist/src/courses/courses.repository', 'CoursesRepository');
  const course = await courses.findById('1', m);
  const t = async (name, f) => { const s = Date.now(); await f(); console.log(name, ((Date.now() - s) / 1000).toFixed(1), 's'); };
  const total = await activities.countRequired('1', m);
  await t('syncMembership', () => membership.syncMembership('1', m));
  await t('recomputeFigures', () => summaries.recomputeFigures('1', total, activities.countingOf('1'), m));
  await t('recomputeCompletion', () => summaries.recomputeCompletion('1', course, m));
  await t('recomputeFirstMissingDue', () => summaries.recomputeFirstMissingDue('1', activities.requiredDueDates('1'), m));
  await t('recountWeeks', () => counters.recountWeeks('1', activities.requiredIds('1'), m));
  await t('recountDone', () => counters.recountDone('1', m));
  await app.close(); } catch (e) { console.error(e); process.exit(1); }
})();
