import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../../src/database/ensure-database';
import { connectRedis } from '../../src/redis/redis';
import { assertFfmpeg, SAMPLE_VIDEO_DIR } from '../support/sample-videos';
import { runNames, workerNames } from './test-names';

/**
 * For each jest worker, a fresh test database from the migrations and an empty Redis prefix (test-names.ts);
 * empties the storage folder, and checks ffmpeg is there.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  // The workers, started after this, inherit it: their default must not depend on their own TMPDIR.
  process.env.TEST_STORAGE_DIR ??= join(tmpdir(), 'bst-test-storage');
  require('./env');
  try {
    const workers = Array.from({ length: globalConfig.maxWorkers }, (_, i) => workerNames(i + 1));
    // Migrated side by side: most of a migration's time is the server's, and the server has cores to spare.
    await Promise.all(workers.map((worker) => freshDatabase(worker.db)));

    const config = loadConfig(process.env);
    const redis = await connectRedis(config, { keyPrefix: '' });
    const keys = await redis.keys(`${runNames().redisPrefix}_w[0-9]*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    // Uploaded files of earlier runs would sit under ids the fresh databases hand out again.
    rmSync(runNames().storageRoot, { recursive: true, force: true });
    // Sample videos are made afresh by each run, as the tests ask for them.
    assertFfmpeg();
    rmSync(SAMPLE_VIDEO_DIR, { recursive: true, force: true });
  } catch (error) {
    console.error(`\n\nTest set-up failed: ${(error as Error).message}\n`);
    throw error;
  }
}

async function freshDatabase(name: string): Promise<void> {
  const config = loadConfig({ ...process.env, DB_NAME: name });
  await dropDatabase(config, name).catch(() => undefined);
  const flavor = await ensureDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config, flavor));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
