import { Redis } from 'ioredis';

/**
 * Queued jobs live in Redis: with any eviction policy other than noeviction, Redis may silently drop jobs
 * (a certificate never compiled, a reminder never sent) when memory runs short. The worker refuses that.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}", but the job queue needs "noeviction": with eviction Redis may drop ` +
        `queued jobs under memory pressure. Fix: set "maxmemory-policy noeviction" in redis.conf ` +
        `(or run: redis-cli CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}
