import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source';
import { dropDatabase, ensureDatabase } from '../src/database/ensure-database';
import { connectRedis } from '../src/redis/redis';
import { SCALE_PASSWORD } from '../src/database/scale-seed';

/** The environment the run started with: every benchmark derives its names from it, not from the one before. */
const STARTING_ENV = { ...process.env };

/**
 * A fresh database and a fresh Redis prefix for one benchmark, migrated like production; both are dropped by
 * the returned cleanup. Benchmarks never share Redis keys: user ids repeat across their databases, and a
 * user cached by one (say a secretary with id 1) must not answer for another's admin with the same id.
 */
export async function benchDatabase(suffix: string): Promise<{ config: AppConfig; dataSource: DataSource; drop: () => Promise<void> }> {
  const base = loadConfig(STARTING_ENV);
  const env = { ...STARTING_ENV, DB_NAME: `${base.db.name}_bench_${suffix}`, REDIS_PREFIX: `${base.redis.prefix}-bench-${suffix}`, LOG_LEVEL: 'silent' };
  Object.assign(process.env, env);
  const config = loadConfig(env);
  await clearRedisPrefix(config);
  await dropDatabase(config, config.db.name).catch(() => undefined);
  const flavor = await ensureDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(config, flavor));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    config,
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await dropDatabase(config, config.db.name);
      await clearRedisPrefix(config);
    },
  };
}

async function clearRedisPrefix(config: AppConfig): Promise<void> {
  const redis = await connectRedis(config, { keyPrefix: '' });
  try {
    for await (const keys of redis.scanStream({ match: `${config.redis.prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

export function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

/** Runs `task` `runs` times one after another (after one warm-up unless told) and returns the latency percentiles. */
export async function timed<T>(runs: number, task: () => Promise<T>, warmUp = true): Promise<{ p50: number; p95: number; value: T }> {
  let value = warmUp ? await task() : (undefined as T);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    value = await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), value };
}

/** Logs a user of a class seeded like `seed:scale` in over HTTP (`base` ends in /api); the access token. */
export async function login(base: string, username: string): Promise<string> {
  const answer = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: SCALE_PASSWORD }),
  });
  if (answer.status !== 200) throw new Error(`login ${username}: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { accessToken: string }).accessToken;
}
