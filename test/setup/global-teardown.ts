import { loadConfig } from '../../src/config/config';
import { dropDatabase } from '../../src/database/ensure-database';
import { connectRedis } from '../../src/redis/redis';
import { runNames, workerNames } from './test-names';

/** Drops every worker's test database and Redis keys (KEEP_TEST_DB=1 keeps them for inspection). */
export default async function globalTeardown(globalConfig: { maxWorkers: number }): Promise<void> {
  require('./env');
  if (process.env.KEEP_TEST_DB) return;
  const config = loadConfig(process.env);
  for (let worker = 1; worker <= globalConfig.maxWorkers; worker++) await dropDatabase(config, workerNames(worker).db).catch(() => undefined);
  const redis = await connectRedis(config, { keyPrefix: '' });
  try {
    // Also the prefixes some files derive from their worker's (`…_w1-rem`).
    const keys = await redis.keys(`${runNames().redisPrefix}_w[0-9]*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
