/**
 * `npm run bench [-- <name>...]`: runs the named benchmarks (all when none is named) against the real
 * MariaDB/MySQL and Redis, in a throw-away database `<DB_NAME>_bench`, and prints each figure next to the
 * same run's baseline. Targets are printed, not asserted: a benchmark informs, it does not gate CI.
 */
import 'reflect-metadata';
import { assessmentsBench } from './assessments.bench';
import { branchWorkBench } from './branch-work.bench';
import { remindersBench } from './reminders.bench';
import { certificateRenderBench } from './certificate-render.bench';
import { certificatesBench } from './certificates.bench';
import { certificatesScaleBench } from './certificates-scale.bench';
import { completionsBench } from './completions.bench';
import { dashboardBench } from './dashboard.bench';
import { rosterBench } from './roster.bench';
import { scaleoutBench } from './scaleout.bench';
import { videoBench } from './video.bench';

export interface BenchResult {
  name: string;
  rows: { metric: string; value: string; baseline?: string; target?: string }[];
}

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  roster: rosterBench,
  video: videoBench,
  reminders: remindersBench,
  certificates: certificatesBench,
  'certificate-render': certificateRenderBench,
  'certificates-scale': certificatesScaleBench,
  dashboard: dashboardBench,
  completions: completionsBench,
  'branch-work': branchWorkBench,
  assessments: assessmentsBench,
  scaleout: scaleoutBench,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    const result = await BENCHES[name]();
    console.log(`\n== ${result.name}`);
    console.table(result.rows);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
