import { loadConfig } from '../../src/config/config';
import { dropDatabase } from '../../src/database/ensure-database';
import { connectRedis } from '../../src/redis/redis';

/** Drops the test database and the test Redis keys (KEEP_TEST_DB=1 keeps both for inspection). */
export default async function globalTeardown(): Promise<void> {
  require('./env');
  if (process.env.KEEP_TEST_DB) return;
  const config = loadConfig(process.env);
  await dropDatabase(config, config.db.name).catch(() => undefined);
  const redis = await connectRedis(config, { keyPrefix: '' });
  try {
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
