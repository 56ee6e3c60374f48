/**
 * `npm run content:import [-- <folder>]` (default: ./content): validates every course under
 * <folder>/courses/ and creates or updates it. A folder with any problem is rejected whole, each problem
 * printed with its file, field and reason, and nothing is written. Running it twice changes nothing.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { appConfig } from '../config/config';
import { ContentError, loadContent } from '../content/content-loader';
import { ContentImportService, CourseImportReport } from '../content/content-import.service';
import { ensureDatabase } from '../database/ensure-database';
import { assertAppSchemaCurrent } from '../database/migrated-database';
import { ContentCliModule } from './cli.module';

export async function importContent(folder: string, log: (line: string) => void = console.log): Promise<CourseImportReport[]> {
  const courses = loadContent(folder); // throws ContentError before anything touches the database
  await ensureDatabase(appConfig());
  const app = await NestFactory.createApplicationContext(ContentCliModule, { logger: ['error'] });
  try {
    await assertAppSchemaCurrent(app);
    const reports = await app.get(ContentImportService).import(courses);
    for (const r of reports) {
      const a = r.activities;
      log(
        `${r.slug} (course ${r.courseId}): ${r.course}; sections +${r.sections.created} ~${r.sections.updated}; ` +
          `activities +${a.created} ~${a.updated} =${a.unchanged} archived ${a.archived}` +
          `${r.questions.created + r.questions.updated + r.questions.unchanged + r.questions.archived ? `; bank questions +${r.questions.created} ~${r.questions.updated} =${r.questions.unchanged} archived ${r.questions.archived}` : ''}` +
          `${r.published ? '; published' : ''}${r.videosStored ? `; ${r.videosStored} videos stored` : ''}${r.enrolled ? `; ${r.enrolled} newly enrolled` : ''}`,
      );
      for (const warning of r.warnings) log(`  warning: ${warning}`);
    }
    return reports;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  importContent(resolve(process.argv[2] ?? 'content')).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error instanceof ContentError ? `Nothing was imported: ${error.message}` : error.message);
      process.exit(1);
    },
  );
}
