import { hashPassword } from '../../src/users/passwords';
import { createApp } from '../../src/app.setup';
import { User } from '../../src/users/user.entity';
import { benchDatabase } from '../../bench/support';

/**
 * `npm run bench` runs every benchmark in one process, each on its own database. User ids repeat across those
 * databases, so a user one benchmark left cached in Redis must never answer for another's user of the same id.
 */
describe('benchmark databases', () => {
  const startingEnv = { ...process.env };
  afterAll(() => {
    process.env = startingEnv;
  });

  async function signIn(suffix: string, role: User['role']) {
    const bench = await benchDatabase(suffix);
    await bench.dataSource.getRepository(User).save({ username: `bench-${role}`, name: '基准用户', role, passwordHash: await hashPassword('Bench@2026') } as User);
    const app = await createApp(bench.config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `bench-${role}`, password: 'Bench@2026' } });
    const token = login.json().accessToken as string;
    return { bench, app, token };
  }

  it('each benchmark has its own database and Redis keys, named from the starting configuration', async () => {
    const first = await signIn('first', 'secretary');
    const me = await first.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${first.token}` } });
    expect(me.json()).toMatchObject({ role: 'secretary' });
    await first.app.close();

    const second = await signIn('second', 'admin');
    try {
      // The same user id as the first benchmark's secretary: it must be read from this database, as an admin.
      const unit = await second.app.inject({
        method: 'POST',
        url: '/api/units',
        headers: { authorization: `Bearer ${second.token}` },
        payload: { name: '基准学院', code: 'BENCH' },
      });
      expect(unit.statusCode).toBe(201);
      expect(second.bench.config.db.name).toBe(`${startingEnv.DB_NAME}_bench_second`);
      expect(second.bench.config.redis.prefix).not.toBe(first.bench.config.redis.prefix);
    } finally {
      await second.app.close();
      await second.bench.drop();
      await first.bench.drop();
    }
  }, 120_000); // two databases migrated from nothing: beyond the default 30 s while the other jest worker is busy
});
