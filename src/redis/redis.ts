import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/config';

export const REDIS = Symbol('REDIS');

export function redisFix(config: AppConfig): string {
  return (
    `Cannot reach Redis at ${config.redis.url}. Start it ("redis-server --daemonize yes --bind 127.0.0.1 --port 6379", ` +
    `or "apt-get install -y redis-server" if it is missing), or set REDIS_URL.`
  );
}

/**
 * A client for the app's own keys: every key is under `${REDIS_PREFIX}:` so several deployments can share
 * one Redis. (BullMQ gets its own connection: it refuses ioredis key prefixes and uses its `prefix` option.)
 */
export function createRedis(config: AppConfig, options: RedisOptions = {}): Redis {
  return new Redis(config.redis.url, {
    keyPrefix: `${config.redis.prefix}:`,
    connectTimeout: 5000,
    maxRetriesPerRequest: 3,
    lazyConnect: true,
    ...options,
  });
}

/** Connects (or fails with a message naming the fix) and returns the client. */
export async function connectRedis(config: AppConfig, options: RedisOptions = {}): Promise<Redis> {
  const client = createRedis(config, { maxRetriesPerRequest: 1, retryStrategy: () => null, ...options });
  // Connection errors surface through connect() below and, later, through failing commands and /api/health.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`${redisFix(config)} (${(error as Error).message})`);
  }
  // After a successful start, keep reconnecting through outages instead of giving up; while disconnected,
  // commands fail at once (the request answers 503 REDIS_UNAVAILABLE) rather than wait for reconnection
  // attempts that grow to 5 s each.
  client.options.retryStrategy = (times: number) => Math.min(times * 200, 5000);
  client.options.maxRetriesPerRequest = 3;
  client.options.enableOfflineQueue = false;
  return client;
}
