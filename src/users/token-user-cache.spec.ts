import { Redis } from 'ioredis';
import { appConfig } from '../config/config';
import { connectRedis } from '../redis/redis';
import { SUBSCRIBER_NAME, TokenUser, TokenUserCache } from './token-user-cache';

const user = (id: string, tokenVersion = 0): TokenUser => ({
  id,
  username: `u${id}`,
  name: '张三',
  role: 'secretary',
  unitId: '1',
  branchId: '2',
  tokenVersion,
  mustChangePassword: false,
});

/** Runs against the real Redis: the cache's promise is about messages between processes. */
describe('TokenUserCache', () => {
  const config = appConfig();
  let publisher: Redis;
  const caches: TokenUserCache[] = [];
  const open = async () => {
    const cache = new TokenUserCache(config);
    caches.push(cache);
    cache.get('0'); // starts listening
    await until(() => cache.trusted());
    expect(cache.trusted()).toBe(true);
    return cache;
  };

  beforeAll(async () => {
    publisher = await connectRedis(config);
  });
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.onApplicationShutdown()));
    await publisher.quit();
  });

  it('keeps nothing until its invalidation channel is live', () => {
    const cache = new TokenUserCache(config);
    caches.push(cache);
    const stamp = cache.stamp();
    expect(cache.get('7')).toBeUndefined();
    expect(cache.trusted()).toBe(false);
    cache.set(user('7'), stamp);
    expect(cache.get('7')).toBeUndefined();
  });

  it('drops a user in every process that keeps it when one process invalidates it', async () => {
    const [here, there] = [await open(), await open()];
    for (const cache of [here, there]) cache.set(user('11'), cache.stamp());
    here.set(user('12'), here.stamp());
    expect(there.get('11')).toEqual(user('11'));

    await here.invalidate(publisher, ['11']);
    expect(here.get('11')).toBeUndefined();
    await until(() => there.get('11') === undefined);
    expect(there.get('11')).toBeUndefined();
    expect(here.get('12')).toEqual(user('12'));
  });

  it('does not keep what a read found if an invalidation came while it was reading', async () => {
    const cache = await open();
    const stamp = cache.stamp();
    // …the read is waiting for Redis or MySQL when the user is changed…
    await cache.invalidate(publisher, ['21']);
    cache.set(user('21'), stamp);
    expect(cache.get('21')).toBeUndefined();
    cache.set(user('21', 1), cache.stamp());
    expect(cache.get('21')?.tokenVersion).toBe(1);
  });

  it('stops keeping users while its connection is down (messages may be missed), and trusts again once resubscribed', async () => {
    const ids = async () => new Set(((await publisher.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string).split('\n').filter((l) => l.includes(`name=${SUBSCRIBER_NAME}`)).map((l) => /id=(\d+)/.exec(l)?.[1]));
    const before = await ids();
    const cache = await open();
    const [mine] = [...(await ids())].filter((id) => !before.has(id));
    cache.set(user('41'), cache.stamp());
    expect(cache.get('41')).toEqual(user('41'));

    await publisher.call('CLIENT', 'KILL', 'ID', mine!);
    await until(() => !cache.trusted());
    expect(cache.get('41')).toBeUndefined();
    cache.set(user('41'), cache.stamp());
    expect(cache.get('41')).toBeUndefined();

    await until(() => cache.trusted(), 5000);
    cache.set(user('41'), cache.stamp());
    expect(cache.get('41')).toEqual(user('41'));
    // Resubscribed: invalidations are heard again.
    await new TokenUserCache(config).invalidate(publisher, ['41']);
    await until(() => cache.get('41') === undefined);
    expect(cache.get('41')).toBeUndefined();
  });

  it('drops everything on a message it cannot read rather than guess whom it meant', async () => {
    const cache = await open();
    cache.set(user('31'), cache.stamp());
    await publisher.publish(`${config.redis.prefix}:auth:user-changed`, 'not json');
    await until(() => cache.get('31') === undefined);
    expect(cache.get('31')).toBeUndefined();
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
