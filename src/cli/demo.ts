/**
 * `npm run demo`: creates the database, applies the migrations, loads the demo class and starts the API and
 * the worker, then prints the address, the docs link and the demo logins. Ctrl+C stops both.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { appConfig, ConfigError } from '../config/config';
import { ensureDatabase } from '../database/ensure-database';
import { applyMigrations } from '../database/migrated-database';
import { OrgRepository } from '../org/org.repository';
import { OrgService } from '../org/org.service';
import { assertNoEviction } from '../redis/eviction-policy';
import { connectRedis } from '../redis/redis';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { DemoCliModule } from './cli.module';
import { importContent } from './content-import';
import { demoBanner } from './demo-banner';
import { seedDemoBranchYear, seedDemoMembers } from './demo-branch-work';
import { seedDemoExchange } from './demo-exchange';
import { AssessmentSchemesService } from '../assessments/assessment-schemes.service';
import { CasesService } from '../cases/cases.service';
import { SurveysService } from '../surveys/surveys.service';
import { BranchPlansService } from '../branch-plans/branch-plans.service';
import { RecordsService } from '../handbook/records.service';
import { seedDemo } from './demo-seed';
import { BranchMembersService } from '../branch-members/branch-members.service';

async function main(): Promise<void> {
  const config = appConfig();
  console.log(`• Database ${config.db.name} on ${config.db.host}:${config.db.port}`);
  const flavor = await ensureDatabase(config);
  const redis = await connectRedis(config);
  try {
    await assertNoEviction(redis);
  } finally {
    redis.disconnect();
  }

  const applied = await applyMigrations(config, flavor);
  console.log(`• Migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);

  const context = await NestFactory.createApplicationContext(DemoCliModule, { logger: ['error'] });
  const logins = await seedDemo({
    org: context.get(OrgService),
    users: context.get(UsersService),
    places: context.get(OrgRepository),
    people: context.get(UsersRepository),
  });
  // One secretary per demo branch (they are placed round the four branches in turn).
  await seedDemoMembers(context.get(BranchMembersService), context.get(UsersRepository), ['2026001', '2026002', '2026003', '2026004']);
  await seedDemoBranchYear(
    { plans: context.get(BranchPlansService), records: context.get(RecordsService), members: context.get(BranchMembersService), people: context.get(UsersRepository) },
    '2026001',
    'admin',
  );
  await seedDemoExchange(
    {
      schemes: context.get(AssessmentSchemesService),
      cases: context.get(CasesService),
      surveys: context.get(SurveysService),
      records: context.get(RecordsService),
      people: context.get(UsersRepository),
    },
    { secretary: '2026001', unitAdmin: 'cs-admin', department: 'admin' },
  );
  await context.close();
  console.log('• Demo organization, people, branch member lists, the first branch’s plan and handbook, a featured case, a survey and this year’s assessment scheme loaded');
  // The training class comes from content/ (curriculum as code), exactly as `npm run content:import` loads it.
  const reports = await importContent(join(__dirname, '..', '..', '..', 'content'), (line) => console.log(`• Curriculum: ${line}`));

  const children = [start('api', 'main.js'), start('worker', 'worker.js')];
  const stop = () => children.forEach((c) => c.kill('SIGTERM'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  children.forEach((c) =>
    c.on('exit', (code) => {
      if (code) {
        console.error(`A process exited with code ${code}; stopping.`);
        stop();
        process.exitCode = code;
      }
    }),
  );

  const healthUrl = `http://127.0.0.1:${config.http.port}/api/health`;
  await waitFor(healthUrl, 60_000);
  console.log(demoBanner(config.http.publicUrl, reports.map((r) => r.courseId), logins));
}

function start(name: string, file: string): ChildProcess {
  const child = spawn(process.execPath, [join(__dirname, '..', file)], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  child.on('error', (error) => console.error(`${name}: ${error.message}`));
  return child;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The API did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Demo failed: ${(error as Error).message ?? error}`);
  process.exit(1);
});
