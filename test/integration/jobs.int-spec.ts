import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { JobDispatcher } from '../../src/jobs/job-dispatcher.service';
import { JobHandler } from '../../src/jobs/job-handler.decorator';
import { JobSchedules } from '../../src/jobs/job-schedules.service';
import { JOB_SCHEDULES, type JobPayloads, type JobRegistry } from '../../src/jobs/jobs';
import { JOB_REGISTRY, JobsService } from '../../src/jobs/jobs.service';
import { QUEUE_PROCESSORS } from '../../src/jobs/processors';
import { QueueModule } from '../../src/jobs/queue.module';
import { assertNoEviction } from '../../src/redis/eviction-policy';
import { connectRedis } from '../../src/redis/redis';
import { uniq } from '../factories/org.factory';

// One real job name under a registry of this test's own, to exercise the queue plumbing against the real Redis.
const TEST_REGISTRY: JobRegistry = {
  'quiz.expire': { queue: 'courses', id: (p: JobPayloads['quiz.expire']) => `test.expire.${p.attemptId}` },
};

@Injectable()
class ExpiryRecorder {
  readonly expired: string[] = [];
  @JobHandler('quiz.expire')
  async expire(payload: JobPayloads['quiz.expire']) {
    this.expired.push(payload.attemptId);
  }
}

describe('jobs (real Redis)', () => {
  it('runs each job once: duplicate enqueues under a deterministic id are dropped', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }), QueueModule, DiscoveryModule],
      providers: [ExpiryRecorder, JobDispatcher, ...QUEUE_PROCESSORS],
    })
      .overrideProvider(JOB_REGISTRY)
      .useValue(TEST_REGISTRY)
      .compile();
    const app = await moduleRef.init();
    try {
      const jobs = app.get(JobsService);
      const attemptId = uniq();
      const first = await jobs.enqueue('quiz.expire', { attemptId });
      const second = await jobs.enqueue('quiz.expire', { attemptId });
      await jobs.enqueueBulk('quiz.expire', [{ attemptId }, { attemptId }]);
      expect(second.id).toBe(first.id);

      const handler = app.get(ExpiryRecorder);
      const deadline = Date.now() + 10_000;
      while (!handler.expired.includes(attemptId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(handler.expired.filter((p) => p === attemptId)).toEqual([attemptId]);
    } finally {
      await app.close();
    }
  });

  it("a worker's start removes the repeating schedules Redis holds that JOB_SCHEDULES no longer names", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }), QueueModule],
      providers: [JobSchedules],
    }).compile();
    const jobs = moduleRef.get(JobsService);
    // What an earlier version of the worker left behind: a schedule for a job this version no longer has.
    await jobs.queue('courses').upsertJobScheduler('reports.retired', { every: 60_000 }, { name: 'reports.retired', data: {} });
    const schedules = async () => (await Promise.all((['courses', 'reminders'] as const).map((q) => jobs.queue(q).getJobSchedulers(0, -1)))).flat().map((s) => s.key);
    expect(await schedules()).toContain('reports.retired');
    try {
      await moduleRef.init();
      const left = await schedules();
      expect(left).not.toContain('reports.retired');
      for (const schedule of JOB_SCHEDULES.filter((s) => !('cron' in s))) expect(left).toContain(schedule.name);
    } finally {
      for (const q of ['courses', 'reminders'] as const) for (const s of await jobs.queue(q).getJobSchedulers(0, -1)) await jobs.queue(q).removeJobScheduler(s.key);
      await moduleRef.close();
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
