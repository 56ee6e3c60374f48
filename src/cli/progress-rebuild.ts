/**
 * `npm run progress:rebuild [-- --course <id>]`: recomputes every learner's stored course summary from the
 * activity states and the 学时 ledger. Gives the same numbers the engine keeps incrementally; use it after
 * restoring a backup or to verify the summaries.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { appConfig } from '../config/config';
import { CoursesRepository } from '../courses/courses.repository';
import { ensureDatabase } from '../database/ensure-database';
import { assertAppSchemaCurrent } from '../database/migrated-database';
import { ProgressPlanService } from '../progress/progress-plan.service';
import { ContentCliModule } from './cli.module';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { course: { type: 'string' } } });
  await ensureDatabase(appConfig());
  const app = await NestFactory.createApplicationContext(ContentCliModule, { logger: ['error'] });
  try {
    await assertAppSchemaCurrent(app);
    const courses = app.get(CoursesRepository);
    if (values.course && !(await courses.findById(values.course))) throw new Error(`course ${values.course} not found`);
    const ids = values.course ? [values.course] : await courses.findIdsPastDraft();
    for (const id of ids) {
      const learners = await app.get(ProgressPlanService).rebuildCourse(id);
      console.log(`course ${id}: rebuilt ${learners} learner summaries`);
    }
  } finally {
    await app.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
