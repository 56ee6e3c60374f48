import type { INestApplicationContext } from '@nestjs/common';
import { Course } from '../../src/courses/course.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { makeUser, uniq } from '../factories/org.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { startWorker } from '../support/worker-context';

/** The real worker process's module against the test database and Redis. */
describe('worker (real queues)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp();
    // What a worker of an earlier version left in Redis: the repeating refresh job the event handlers replaced.
    await t.app.get(JobsService).queue('courses').upsertJobScheduler('reports.refresh', { every: 60_000 }, { name: 'reports.refresh', data: {} });
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('starts with one handler per job and creates each repeating schedule once', async () => {
    const schedulers = await worker.get(JobsService).queue('courses').getJobSchedulers();
    expect(schedulers.filter((s) => s.key === 'video.flush' || s.id === 'video.flush')).toHaveLength(1);
    const reminderSchedulers = await worker.get(JobsService).queue('reminders').getJobSchedulers();
    // Tests turn the hourly scan off (REMINDER_SCAN_CRON=off); its cron schedule is checked in job-schedules.service.spec.ts.
    expect(reminderSchedulers.filter((s) => s.key === 'reminders.scan' || s.id === 'reminders.scan')).toEqual([]);
  });

  it('removes a repeating schedule an earlier version left behind (reports.refresh)', async () => {
    const schedulers = await worker.get(JobsService).queue('courses').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).not.toContain('reports.refresh');
    expect(schedulers.map((s) => s.key)).toContain('video.flush');
  });

  it('closes a published course whose period and grace have passed, freezing its results', async () => {
    const admin = await t.login((await makeUser(t.dataSource, { role: 'admin' })).username);
    const course = await t.post('/api/courses', { title: `已结束${uniq()}`, startsAt: '2025-09-01T00:00:00+08:00', endsAt: '2025-12-31T23:59:59+08:00' }, admin);
    const section = await t.post(`/api/courses/${course.json().id}/sections`, { title: '一' }, admin);
    await t.post(`/api/courses/${course.json().id}/activities`, { type: 'discussion', sectionId: section.json().id, title: '研讨', prompt: '谈', creditHours: 1 }, admin);
    expect((await t.post(`/api/courses/${course.json().id}/publish`, {}, admin)).statusCode).toBe(200);

    const deadline = Date.now() + 15_000;
    let status = 'published';
    while (status !== 'closed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await t.dataSource.getRepository(Course).findOneByOrFail({ id: course.json().id })).status;
    }
    expect(status).toBe('closed');
  });
});
