import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../../src/database/ensure-database';
import { connectRedis } from '../../src/redis/redis';
import { assertFfmpeg, SAMPLE_VIDEO_DIR } from '../support/sample-videos';

/** Creates a fresh test database from the migrations, clears the test Redis prefix, and checks ffmpeg is there. */
export default async function globalSetup(): Promise<void> {
  require('./env');
  const config = loadConfig(process.env);
  try {
    await dropDatabase(config, config.db.name).catch(() => undefined);
    const flavor = await ensureDatabase(config);
    const dataSource = new DataSource(dataSourceOptions(config, flavor));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();

    const redis = await connectRedis(config, { keyPrefix: '' });
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    // Uploaded files of earlier runs would sit under ids the fresh database hands out again.
    rmSync(config.storage.dir, { recursive: true, force: true });
    // Sample videos are made afresh by each run, as the tests ask for them.
    assertFfmpeg();
    rmSync(SAMPLE_VIDEO_DIR, { recursive: true, force: true });
  } catch (error) {
    console.error(`\n\nTest set-up failed: ${(error as Error).message}\n`);
    throw error;
  }
}
