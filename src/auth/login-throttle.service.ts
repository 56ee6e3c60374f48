import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis';

/**
 * Counts failed logins in Redis (shared by every API process) per account and per client address.
 * Once either budget is spent, logins from there answer 429 until the window passes.
 */
@Injectable()
export class LoginThrottleService {
  private readonly perAccount: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const { maxFailuresPerAccount, maxFailuresPerAddress, failureWindowSeconds } = config.auth;
    this.perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'login-fail:account',
      points: maxFailuresPerAccount,
      duration: failureWindowSeconds,
      blockDuration: failureWindowSeconds,
    });
    this.perAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'login-fail:address',
      points: maxFailuresPerAddress,
      duration: failureWindowSeconds,
      blockDuration: failureWindowSeconds,
    });
  }

  /** Throws 429 when this account or address has used up its failed attempts. */
  async assertAllowed(username: string, address: string): Promise<void> {
    const [account, from] = await Promise.all([
      this.perAccount.get(this.accountKey(username)),
      this.perAddress.get(address),
    ]);
    const blocked = [account, from].filter((r): r is RateLimiterRes => r !== null && r.remainingPoints <= 0);
    if (blocked.length) this.tooMany(Math.max(...blocked.map((r) => r.msBeforeNext)));
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const results = await Promise.allSettled([
      this.perAccount.consume(this.accountKey(username)),
      this.perAddress.consume(address),
    ]);
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) {
      const reason = (rejected as PromiseRejectedResult).reason;
      if (reason instanceof RateLimiterRes) this.tooMany(reason.msBeforeNext);
      throw reason;
    }
  }

  async recordSuccess(username: string): Promise<void> {
    await this.perAccount.delete(this.accountKey(username));
  }

  private accountKey(username: string): string {
    return username.trim().toLowerCase();
  }

  private tooMany(msBeforeNext: number): never {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    throw new HttpException(
      {
        message: `登录失败次数过多，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`,
        code: 'LOGIN_THROTTLED',
        retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
