import { loadConfig } from '../config/config';
import { JobSchedules } from './job-schedules.service';
import type { JobsService } from './jobs.service';

describe('JobSchedules', () => {
  function start(scanCron: string) {
    const queue = {
      upsertJobScheduler: jest.fn().mockResolvedValue(undefined),
      removeJobScheduler: jest.fn().mockResolvedValue(true),
      getJobSchedulers: jest.fn().mockResolvedValue([]),
    };
    const jobs = { queue: jest.fn().mockReturnValue(queue) } as unknown as JobsService;
    const config = loadConfig({ ...process.env, VIDEO_FLUSH_INTERVAL_SECONDS: '5', REMINDER_SCAN_CRON: scanCron });
    return { queue, run: () => new JobSchedules(jobs, config).onApplicationBootstrap() };
  }

  it('upserts each repeating job by its fixed id: intervals every N ms, crons in China time', async () => {
    const { queue, run } = start('5 * * * *');
    await run();
    expect(queue.upsertJobScheduler).toHaveBeenCalledWith('video.flush', { every: 5000 }, expect.objectContaining({ name: 'video.flush' }));
    expect(queue.upsertJobScheduler).toHaveBeenCalledWith('reminders.scan', { pattern: '5 * * * *', tz: 'Asia/Shanghai' }, expect.objectContaining({ name: 'reminders.scan' }));
    expect(queue.removeJobScheduler).not.toHaveBeenCalled();
  });

  it('drops a schedule that is turned off', async () => {
    const { queue, run } = start('off');
    await run();
    expect(queue.removeJobScheduler).toHaveBeenCalledWith('reminders.scan');
    expect(queue.upsertJobScheduler).not.toHaveBeenCalledWith('reminders.scan', expect.anything(), expect.anything());
  });
});
