/**
 * `npm run seed:scale -- --learners 10000 --activities 50 [--database <name>]`: fills a separate database
 * (default `<DB_NAME>_scale`, dropped and recreated) with a province-sized class for trying the dashboard
 * (see src/database/scale-seed.ts). Refuses the main DB_NAME unless `--into-main` is given, and then only adds.
 * `npm run seed:scale -- --branch-work [--branches 12000] [--year 2025]`: a province's branches with a year of
 * handbook records each instead (src/database/branch-work-seed.ts), for the branch-work oversight.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { appConfig } from '../config/config';
import { dropDatabase, ensureDatabase } from '../database/ensure-database';
import { withMigratedDatabase } from '../database/migrated-database';
import { seedBranchWork } from '../database/branch-work-seed';
import { SCALE_PASSWORD, seedScale } from '../database/scale-seed';
import { UsersRepository } from '../users/users.repository';
import { Transactions } from '../database/transactions';
import { EnrollmentsRepository } from '../enrollments/enrollments.repository';
import { ActivitiesRepository } from '../courses/activities.repository';
import { CoursesRepository } from '../courses/courses.repository';
import { ActivityProgressRepository } from '../progress/activity-progress.repository';
import { CourseProgressRepository } from '../progress/course-progress.repository';
import { CreditEntriesRepository } from '../progress/credit-entries.repository';
import { CourseFiguresRepository } from '../progress/course-figures.repository';
import { DoneCountersRepository } from '../progress/done-counters.repository';
import { ProgressMembershipService } from '../progress/progress-membership.service';
import { ProgressPlanService } from '../progress/progress-plan.service';
import { hashPassword } from '../users/passwords';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      learners: { type: 'string', default: '10000' },
      activities: { type: 'string', default: '50' },
      database: { type: 'string' },
      'into-main': { type: 'boolean', default: false },
      'branch-work': { type: 'boolean', default: false },
      branches: { type: 'string', default: '12000' },
      year: { type: 'string' },
    },
  });
  const branches = Number(values.branches);
  if (!Number.isInteger(branches) || branches < 1 || branches > 100_000) throw new Error('--branches must be a whole number from 1 to 100,000');
  // Last year by default (Beijing time): every month of it is over, so the whole year is required.
  const year = values.year ? Number(values.year) : new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() - 1;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Error('--year must be a year from 2000 to 2100');
  const learners = Number(values.learners);
  const activities = Number(values.activities);
  if (!Number.isInteger(learners) || learners < 1 || learners > 1_000_000) throw new Error('--learners must be a whole number from 1 to 1,000,000');
  if (!Number.isInteger(activities) || activities < 1 || activities > 500) throw new Error('--activities must be a whole number from 1 to 500');
  const base = appConfig();
  const name = values.database ?? `${base.db.name}_scale`;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error('--database: letters, digits and _ only');
  const intoMain = name === base.db.name;
  if (intoMain && !values['into-main']) {
    throw new Error(`Refusing to write synthetic learners into the main database ${name}; use another --database, or add --into-main.`);
  }
  const config = { ...base, db: { ...base.db, name } };
  if (!intoMain) await dropDatabase(config, name).catch(() => undefined);
  const flavor = await ensureDatabase(config);
  await withMigratedDatabase(config, flavor, async (dataSource) => {
    if (values['branch-work']) {
      const result = await seedBranchWork(dataSource, {
        branches,
        year,
        tag: intoMain ? `-${randomBytes(3).toString('hex')}` : '',
        log: (line) => console.log(`  ${line}`),
        passwordHash: await hashPassword(SCALE_PASSWORD),
      });
      console.log(`Database ${name}: ${result.branches} branches in ${result.units} units, ${result.records} records of ${result.year}, in ${result.seconds.toFixed(1)} s.`);
      console.log(`Logins (password ${SCALE_PASSWORD}): department ${result.adminUsername}, unit admin ${result.unitAdminUsername}.`);
      console.log(`Try it: DB_NAME=${name} npm start, then GET /api/reports/branch-work?year=${result.year}`);
      return;
    }
    const transactions = new Transactions(dataSource);
    const people = UsersRepository.on(dataSource);
    const activitiesRepository = new ActivitiesRepository(dataSource);
    const summaries = new CourseProgressRepository(dataSource);
    const counters = new DoneCountersRepository();
    const figures = new CourseFiguresRepository();
    const enrollments = new EnrollmentsRepository(dataSource);
    const membership = new ProgressMembershipService(transactions, people, enrollments, activitiesRepository, new ActivityProgressRepository(dataSource), summaries, counters, figures);
    const engine = new ProgressPlanService(
      transactions,
      membership,
      people,
      enrollments,
      activitiesRepository,
      new CoursesRepository(dataSource),
      summaries,
      new CreditEntriesRepository(dataSource),
      counters,
      figures,
    );
    const result = await seedScale(dataSource, {
      learners,
      activities,
      tag: intoMain ? `-${randomBytes(3).toString('hex')}` : '',
      log: (line) => console.log(`  ${line}`),
      passwordHash: await hashPassword(SCALE_PASSWORD),
      freshDatabase: !intoMain,
      rebuildCourse: (courseId) => engine.rebuildCourse(courseId),
    });
    console.log(
      `Database ${name}: course ${result.courseId} with ${result.learners} learners in ${result.units} units and ${result.branches} branches, ` +
        `${result.activities} activities, ${result.activityStates} activity states, in ${result.seconds.toFixed(1)} s.`,
    );
    console.log(`Logins (password ${SCALE_PASSWORD}): department ${result.adminUsername}, unit admin ${result.unitAdminUsername}.`);
    console.log(`Try it: DB_NAME=${name} npm start, then GET /api/reports/courses/${result.courseId}/completion`);
  });
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
