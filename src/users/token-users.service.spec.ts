import { Redis } from 'ioredis';
import { appConfig } from '../config/config';
import { connectRedis } from '../redis/redis';
import { TokenUser, TokenUserCache } from './token-user-cache';
import { TokenUsersService } from './token-users.service';
import type { UsersRepository } from './users.repository';

/** The token-user lookup against the real Redis, with the users table replaced. */
describe('TokenUsersService.findActive', () => {
  const config = appConfig();
  let redis: Redis;
  let cache: TokenUserCache;
  const findActiveTokenUser = jest.fn();

  beforeAll(async () => {
    redis = await connectRedis(config);
    cache = new TokenUserCache(config);
  });
  afterAll(async () => {
    await cache.onApplicationShutdown();
    await redis.quit();
  });

  const service = () => new TokenUsersService({ findActiveTokenUser } as unknown as UsersRepository, redis, cache);
  const user = (id: string, tokenVersion: number): TokenUser => ({
    id, username: `u${id}`, name: '李四', role: 'secretary', unitId: '1', branchId: '2', tokenVersion, mustChangePassword: false,
  });

  it('does not let a read that began before a change cache the old row in Redis', async () => {
    const id = String(900_000_000 + Math.floor(Math.random() * 1_000_000));
    let release!: (row: TokenUser) => void;
    findActiveTokenUser.mockImplementationOnce(() => new Promise<TokenUser>((resolve) => (release = resolve)));
    const users = service();
    const racing = users.findActive(id);
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5));

    // The password changes (token version 1) while that read waits for MySQL with the old row.
    await users.forget([id]);
    release(user(id, 0));
    expect((await racing)?.tokenVersion).toBe(0);

    // The next request must not be served the old row from Redis: it reads MySQL again.
    findActiveTokenUser.mockResolvedValueOnce(user(id, 1));
    expect((await users.findActive(id))?.tokenVersion).toBe(1);
    expect(await redis.get(`auth:user:${id}`)).toBe('changed');
    await redis.del(`auth:user:${id}`);
  });

  it('keeps a user it read in Redis for the other API processes', async () => {
    const id = String(901_000_000 + Math.floor(Math.random() * 1_000_000));
    findActiveTokenUser.mockResolvedValueOnce(user(id, 3));
    expect((await service().findActive(id))?.tokenVersion).toBe(3);
    expect(JSON.parse((await redis.get(`auth:user:${id}`))!)).toEqual(user(id, 3));
    // Another process (its own memory empty) is answered from Redis, without MySQL.
    const otherCache = new TokenUserCache(config);
    const other = new TokenUsersService({ findActiveTokenUser: jest.fn() } as unknown as UsersRepository, redis, otherCache);
    try {
      expect((await other.findActive(id))?.tokenVersion).toBe(3);
    } finally {
      await otherCache.onApplicationShutdown();
      await redis.del(`auth:user:${id}`);
    }
  });
});
