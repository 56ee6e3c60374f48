import { Logger } from '@nestjs/common';
import type { Response } from 'light-my-request';
import { loadConfig } from '../../src/config/config';
import { buildCourse } from '../factories/course.factory';
import { makeUser, uniq } from '../factories/org.factory';
import { eventually } from '../support/eventually';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TEST_PASSWORD, TestApp } from '../support/test-app';

const answer = (response: Response) => ({ status: response.statusCode, code: response.json().code as string });

/**
 * MySQL or Redis going away (a restart, a network cut) is not a server bug: every request that needs it
 * answers 503 with a code naming it, the log says so once rather than once per request, and the API answers
 * normally again as soon as the dependency is back. The app talks to the real MariaDB and Redis through a
 * TCP proxy that the test takes down (open connections cut, new ones refused) and brings back.
 */
describe('a dependency that goes away (e2e)', () => {
  let warnings: string[];
  let errors: string[];
  beforeEach(() => {
    warnings = [];
    errors = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('MySQL unreachable: 503 DATABASE_UNAVAILABLE on every route that needs it, one log line, recovery when it is back', async () => {
    const proxy = await new TcpProxy(Number(process.env.DB_PORT ?? 3306)).start();
    const t = await createTestApp(loadConfig({ ...process.env, DB_PORT: String(proxy.port) }));
    try {
      const admin = await makeUser(t.dataSource, { role: 'admin' });
      const token = await t.login(admin.username);
      expect((await t.get('/api/units', token)).statusCode).toBe(200);

      await proxy.stop();
      const requests = [
        () => t.get('/api/units', token),
        () => t.post('/api/units', { name: `停机学院${uniq()}`, code: `D${uniq()}` }, token),
        () => t.get('/api/courses', token),
        () => t.get('/api/users?page=1', token),
        () => t.post('/api/auth/login', { username: admin.username, password: TEST_PASSWORD }),
      ];
      for (let round = 0; round < 2; round++) {
        for (const send of requests) {
          const response = await send();
          expect(answer(response)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
          expect(response.json().message).toBe('数据库暂时无法连接，请稍后重试');
          expect(response.headers['retry-after']).toBe('5');
        }
      }
      const health = await t.get('/api/health');
      expect(health.statusCode).toBe(503);
      expect(health.json().error).toHaveProperty('mysql');
      expect(health.json().details.redis.status).toBe('up');

      expect(warnings.filter((line) => line.includes('mysql is unreachable'))).toHaveLength(1);
      expect(errors).toEqual([]);

      await proxy.start();
      const back = await eventually(() => t.get('/api/units', token), (response) => response.statusCode === 200, 10_000);
      expect(back.statusCode).toBe(200);
      expect((await t.post('/api/units', { name: `恢复学院${uniq()}`, code: `R${uniq()}` }, token)).statusCode).toBe(201);
      expect((await t.get('/api/health')).statusCode).toBe(200);
    } finally {
      await proxy.start().catch(() => undefined);
      await t.close();
      await proxy.stop();
    }
  });

  it('Redis unreachable: 503 REDIS_UNAVAILABLE where Redis is needed, recovery when it is back', async () => {
    const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const proxy = await new TcpProxy(Number(redisUrl.port || 6379), redisUrl.hostname).start();
    redisUrl.port = String(proxy.port);
    const t = await createTestApp(loadConfig({ ...process.env, REDIS_URL: redisUrl.toString() }));
    try {
      const admin = await makeUser(t.dataSource, { role: 'admin' });
      const login = () => t.post('/api/auth/login', { username: admin.username, password: TEST_PASSWORD });
      const token = (await login()).json().accessToken;
      const course = await buildCourse(t, token);

      await proxy.stop();
      // Failed logins are counted in Redis: signing in needs it.
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await login();
        expect(answer(response)).toEqual({ status: 503, code: 'REDIS_UNAVAILABLE' });
        expect(response.json().message).toBe('缓存服务暂时无法连接，请稍后重试');
      }
      // Queueing a job needs it too: answered at once, not held until Redis is back.
      const started = Date.now();
      expect(answer(await t.post(`/api/courses/${course.id}/reminders/run`, {}, token))).toEqual({ status: 503, code: 'REDIS_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(1000);
      const health = await t.get('/api/health');
      expect(health.statusCode).toBe(503);
      expect(health.json().error).toHaveProperty('redis');
      // One line from the answers, one from the queues' connection: not one per request or reconnection attempt.
      expect(warnings.filter((line) => line.includes('redis is unreachable'))).toHaveLength(2);
      expect(errors).toEqual([]);

      await proxy.start();
      const back = await eventually(login, (response) => response.statusCode === 200, 15_000);
      expect(back.statusCode).toBe(200);
      const queued = await eventually(() => t.post(`/api/courses/${course.id}/reminders/run`, {}, token), (response) => response.statusCode === 202, 15_000);
      expect(queued.statusCode).toBe(202);
    } finally {
      await proxy.start().catch(() => undefined);
      await t.close();
      await proxy.stop();
    }
  });
});
