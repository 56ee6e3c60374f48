import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { countLiveWorkers } from '../jobs/worker-heartbeat.service';
import { REDIS } from '../redis/redis';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicator: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Informational: how many worker processes sent a heartbeat lately (jobs wait while it is 0). */
  async workers(key = 'workers') {
    const check = this.indicator.check(key);
    try {
      return check.up({ alive: await countLiveWorkers(this.redis, this.config.redis.prefix) });
    } catch {
      return check.up({ alive: null });
    }
  }

  async isHealthy(key = 'redis') {
    const check = this.indicator.check(key);
    try {
      const pong = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout after 1000 ms')), 1000)),
      ]);
      return pong === 'PONG' ? check.up() : check.down({ message: `unexpected reply ${pong}` });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
