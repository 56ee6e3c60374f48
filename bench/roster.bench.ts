import { randomBytes } from 'node:crypto';
import { hashPassword } from '../src/users/passwords';
import { createApp } from '../src/app.setup';
import { User } from '../src/users/user.entity';
import type { BenchResult } from './run';
import { benchDatabase, ms } from './support';

const PEOPLE = 5000;

/**
 * Roster import of 5,000 people through the real HTTP endpoint (parsing, validation, planning, one
 * transaction) against the baseline: the same people written by bare multi-row INSERTs.
 */
export async function rosterBench(): Promise<BenchResult> {
  const { config, dataSource, drop } = await benchDatabase('roster');
  try {
    await dataSource.getRepository(User).save({ username: 'bench-admin', name: '基准管理员', role: 'admin', passwordHash: await hashPassword('Bench@2026') } as User);
    const app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench-admin', password: 'Bench@2026' } });
    const token = login.json().accessToken as string;

    const csvFor = (tag: string) =>
      ['工号,姓名,单位,支部,邮箱', ...Array.from({ length: PEOPLE }, (_, i) => `${tag}${i},学员${i},学院${i % 20},第${i % 200}党支部,p${i}@example.edu.cn`)].join('\n');
    const upload = async (csv: string) => {
      const boundary = `b${randomBytes(6).toString('hex')}`;
      const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
      const started = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: '/api/users/import',
        payload,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      if (response.statusCode !== 200) throw new Error(`import failed: ${response.statusCode} ${response.body}`);
      return performance.now() - started;
    };
    const first = await upload(csvFor('A'));
    const again = await upload(csvFor('A'));
    const memory = process.memoryUsage().rss;
    await app.close();

    // Baseline: the same rows with no parsing, validation or planning, 1,000 per INSERT in one transaction.
    const started = performance.now();
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < PEOPLE; i += 1000) {
        const values = Array.from({ length: Math.min(1000, PEOPLE - i) }, (_, j) => ({
          username: `B${i + j}`,
          name: `学员${i + j}`,
          role: 'secretary' as const,
          email: `p${i + j}@example.edu.cn`,
          passwordHash: 'otp-sha256$x',
          mustChangePassword: true,
        }));
        await manager.createQueryBuilder().insert().into(User).values(values).updateEntity(false).execute();
      }
    });
    const baseline = performance.now() - started;
    return {
      name: `roster import, ${PEOPLE} people (CSV through POST /api/users/import)`,
      rows: [
        { metric: 'first import (creates all)', value: ms(first), baseline: `${ms(baseline)} bare INSERTs`, target: '≤ 5,000 ms' },
        { metric: 'same file again (changes nothing)', value: ms(again), target: '≤ 5,000 ms' },
        { metric: 'API process RSS after both', value: `${(memory / 1024 / 1024).toFixed(0)} MiB` },
      ],
    };
  } finally {
    await drop();
  }
}
