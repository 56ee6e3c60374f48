import { join } from 'node:path';

/**
 * What one jest worker's test files use: a database, a Redis prefix and folders of their own, named after the
 * run's TEST_DB_NAME / TEST_REDIS_PREFIX / TEST_STORAGE_DIR and the worker's number (JEST_WORKER_ID), so files
 * running at the same time in two workers never see each other's rows, queues, jobs or files.
 */
export interface WorkerNames {
  db: string;
  redisPrefix: string;
  storageDir: string;
  /** The worker's TMPDIR: some tests look for the temporary files the code under test leaves behind. */
  tmpDir: string;
}

/** The run's names (the global set-up fixes TEST_STORAGE_DIR before the workers start). */
export function runNames(env: NodeJS.ProcessEnv = process.env): { db: string; redisPrefix: string; storageRoot: string } {
  return {
    db: env.TEST_DB_NAME ?? 'bst_test',
    redisPrefix: env.TEST_REDIS_PREFIX ?? 'bst-test',
    storageRoot: env.TEST_STORAGE_DIR ?? join(require('node:os').tmpdir(), 'bst-test-storage'),
  };
}

export function workerNames(worker: number | string, env: NodeJS.ProcessEnv = process.env): WorkerNames {
  const run = runNames(env);
  return {
    db: `${run.db}_w${worker}`,
    redisPrefix: `${run.redisPrefix}_w${worker}`,
    storageDir: join(run.storageRoot, `w${worker}`, 'storage'),
    tmpDir: join(run.storageRoot, `w${worker}`, 'tmp'),
  };
}

/** The jest worker this file runs in (1 when jest runs files in its own process). */
export function jestWorker(env: NodeJS.ProcessEnv = process.env): string {
  return env.JEST_WORKER_ID ?? '1';
}
