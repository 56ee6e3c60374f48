/**
 * `npm run progress:rebuild [-- --course <id>]`: recomputes every learner's stored course summary from the
 * activity states and the 学时 ledger. Gives the same numbers the engine keeps incrementally; use it after
 * restoring a backup or to verify the summaries.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { appConfig } from '../config/config';
import { assertSchemaCurrent, ensureDatabase } from '../database/ensure-database';
import { ProgressPlanService } from '../progress/progress-plan.service';
import { ContentCliModule } from './cli.module';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { course: { type: 'string' } } });
  await ensureDatabase(appConfig());
  const app = await NestFactory.createApplicationContext(ContentCliModule, { logger: ['error'] });
  try {
    await assertSchemaCurrent(app.get(DataSource));
    const dataSource = app.get(DataSource);
    const rows: { id: string }[] = values.course
      ? await dataSource.query(`SELECT id FROM courses WHERE id = ?`, [values.course])
      : await dataSource.query(`SELECT id FROM courses WHERE status <> 'draft' ORDER BY id`);
    if (values.course && rows.length === 0) throw new Error(`course ${values.course} not found`);
    for (const { id } of rows) {
      const learners = await app.get(ProgressPlanService).rebuildCourse(String(id));
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
