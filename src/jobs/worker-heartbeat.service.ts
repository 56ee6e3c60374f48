import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { REDIS } from '../redis/redis';

export const HEARTBEAT_KEY = 'workers';
const INTERVAL_MS = 10_000;
const TTL_SECONDS = 30;

/** Each worker process announces itself in Redis so operators (and /api/health) can see how many are alive. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly id = `${hostname()}:${process.pid}`;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.del(`${HEARTBEAT_KEY}:${this.id}`).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await this.redis.set(`${HEARTBEAT_KEY}:${this.id}`, new Date().toISOString(), 'EX', TTL_SECONDS);
  }
}

/** Counts live workers without KEYS: SCAN over the heartbeat keys (a handful). */
export async function countLiveWorkers(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:${HEARTBEAT_KEY}:*`, 'COUNT', 100);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}
