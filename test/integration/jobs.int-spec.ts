import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { JobDispatcher } from '../../src/jobs/job-dispatcher.service';
import { JobHandler } from '../../src/jobs/job-handler.decorator';
import type { JobRegistry } from '../../src/jobs/jobs';
import { JOB_REGISTRY, JobsService } from '../../src/jobs/jobs.service';
import { QUEUE_PROCESSORS } from '../../src/jobs/processors';
import { QueueModule } from '../../src/jobs/queue.module';
import { assertNoEviction } from '../../src/redis/eviction-policy';
import { connectRedis } from '../../src/redis/redis';
import { uniq } from '../factories/org.factory';

// A job defined only for this test, to exercise the real queue plumbing against the real Redis.
const TEST_REGISTRY: JobRegistry = {
  'test.greet': { queue: 'courses', id: (p: { personId: string }) => `test.greet.${p.personId}` },
};

@Injectable()
class GreetHandler {
  readonly greeted: string[] = [];
  @JobHandler('test.greet')
  async greet(payload: { personId: string }) {
    this.greeted.push(payload.personId);
  }
}

describe('jobs (real Redis)', () => {
  it('runs each job once: duplicate enqueues under a deterministic id are dropped', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }), QueueModule, DiscoveryModule],
      providers: [GreetHandler, JobDispatcher, ...QUEUE_PROCESSORS],
    })
      .overrideProvider(JOB_REGISTRY)
      .useValue(TEST_REGISTRY)
      .compile();
    const app = await moduleRef.init();
    try {
      const jobs = app.get(JobsService);
      const personId = uniq();
      const first = await jobs.enqueue('test.greet' as never, { personId } as never);
      const second = await jobs.enqueue('test.greet' as never, { personId } as never);
      await jobs.enqueueBulk('test.greet' as never, [{ personId }, { personId }] as never);
      expect(second.id).toBe(first.id);

      const handler = app.get(GreetHandler);
      const deadline = Date.now() + 10_000;
      while (!handler.greeted.includes(personId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(handler.greeted.filter((p) => p === personId)).toEqual([personId]);
    } finally {
      await app.close();
    }
  });

  it('the worker refuses a Redis whose maxmemory-policy may evict jobs, and says why', async () => {
    // The shared Redis is never switched to an evicting policy (another process's worker would refuse to
    // start meanwhile): the real one must pass, and a Redis reporting allkeys-lru is stood in for.
    const redis: Redis = await connectRedis(appConfig());
    try {
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
    const evicting = { info: async () => '# Memory\r\nmaxmemory_policy:allkeys-lru\r\n' } as unknown as Redis;
    await expect(assertNoEviction(evicting)).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/s);
  });
});
