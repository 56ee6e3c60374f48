import { Queue } from 'bullmq';
import { createApp } from '../src/app.setup';
import { JOB_DEFINITIONS } from '../src/jobs/jobs';
import { JobsService } from '../src/jobs/jobs.service';
import { dueStamp } from '../src/reminders/periods';
import { reminderKeyPrefix } from '../src/reminders/reminder-key';
import { RemindersService } from '../src/reminders/reminders.service';
import type { BenchResult } from './run';
import { benchDatabase, ms } from './support';

const LEARNERS = 50_000;
const CHUNK = 1000;

/**
 * Reminder fan-out for 50,000 enrolled learners through the real path (RemindersService.fanOutCourse: live
 * progress selection, dedupe records in MySQL, addBulk with deterministic ids), then a second run the same
 * day, against the baseline: a bare BullMQ addBulk of the same 50,000 jobs into a fresh queue.
 */
export async function remindersBench(): Promise<BenchResult> {
  process.env.QUIET_HOURS = 'off'; // measure sending, not waiting for 07:00
  const { config, dataSource, drop } = await benchDatabase('reminders');
  const app = await createApp(config);
  await app.init();
  const jobs = app.get(JobsService);
  const baselineQueue = new Queue('reminders-baseline', { connection: { url: config.redis.url }, prefix: `${config.redis.prefix}:bull` });
  try {
    await jobs.queue('reminders').obliterate({ force: true });
    await baselineQueue.obliterate({ force: true });

    // One course, running, with one required video due tomorrow and 50,000 secretaries enrolled.
    const now = Date.now();
    const unit = { id: (await dataSource.query(`INSERT INTO units (name, code) VALUES ('基准学院党委', 'BENCH')`)).insertId };
    for (let i = 0; i < LEARNERS; i += CHUNK) {
      const rows = Array.from({ length: CHUNK }, (_, j) => i + j);
      await dataSource.query(
        `INSERT INTO users (username, name, email, role, unit_id, password_hash) VALUES ${rows.map(() => `(?, ?, ?, 'secretary', ?, 'x')`).join(', ')}`,
        rows.flatMap((n) => [`B${n}`, `学员${n}`, `b${n}@example.edu.cn`, unit.id]),
      );
    }
    const course = await dataSource.query(
      `INSERT INTO courses (title, starts_at, ends_at, status, published_at) VALUES ('基准培训班', ?, ?, 'published', ?)`,
      [new Date(now - 10 * 86400_000), new Date(now + 20 * 86400_000), new Date(now)],
    );
    const courseId = String(course.insertId);
    const section = await dataSource.query(`INSERT INTO sections (course_id, title) VALUES (?, '第一单元')`, [courseId]);
    await dataSource.query(
      `INSERT INTO activities (course_id, section_id, type, title, required, credit_hours, due_at, settings) VALUES (?, ?, 'video', '基准视频', 1, 1, ?, ?)`,
      [courseId, section.insertId, new Date(now + 24 * 3600_000), JSON.stringify({ durationSeconds: 600, completionPercent: 80 })],
    );
    await dataSource.query(
      `INSERT INTO enrollments (course_id, user_id, status, source, enrolled_at) SELECT ?, id, 'active', 'all', NOW(3) FROM users WHERE role = 'secretary'`,
      [courseId],
    );

    // Baseline first, into a fresh queue: the same 50,000 jobs (name, payload, options, deterministic ids)
    // straight into BullMQ, with nothing selected or recorded. Then that queue is emptied again.
    const video: { id: string; due_at: Date } = (await dataSource.query(`SELECT id, due_at FROM activities WHERE course_id = ?`, [courseId]))[0];
    const period = dueStamp(new Date(video.due_at));
    const learners: Array<{ user_id: string }> = await dataSource.query(`SELECT user_id FROM enrollments WHERE course_id = ?`, [courseId]);
    const options = { ...JOB_DEFINITIONS['reminders.send'].options };
    let started = performance.now();
    for (let i = 0; i < learners.length; i += CHUNK) {
      await baselineQueue.addBulk(
        learners.slice(i, i + CHUNK).map(({ user_id }) => {
          const key = reminderKeyPrefix('due-soon', String(video.id), period) + user_id;
          return { name: 'reminders.send', data: { key, kind: 'due-soon', userId: String(user_id), courseId, subjectId: String(video.id), period }, opts: { ...options, jobId: key } };
        }),
      );
    }
    const baseline = performance.now() - started;
    await baselineQueue.obliterate({ force: true });

    const reminders = app.get(RemindersService);
    started = performance.now();
    const first = await reminders.fanOutCourse(courseId);
    const fanOut = performance.now() - started;
    started = performance.now();
    const second = await reminders.fanOutCourse(courseId);
    const rerun = performance.now() - started;
    const waiting = await jobs.queue('reminders').getJobCountByTypes('waiting', 'delayed', 'prioritized');

    return {
      name: `reminder fan-out, ${LEARNERS.toLocaleString('en')} enrolled learners (RemindersService.fanOutCourse)`,
      rows: [
        { metric: 'first run: jobs queued', value: `${first.queued} (${waiting} waiting in Redis)` },
        {
          metric: 'first run: time',
          value: ms(fanOut),
          baseline: `${ms(baseline)} bare addBulk of the same jobs`,
          target: '≥ 0.7× baseline speed',
        },
        { metric: 'speed vs baseline', value: `${(baseline / fanOut).toFixed(2)}×`, target: '≥ 0.70×' },
        { metric: 'second run the same day: jobs queued', value: `${second.queued} in ${ms(rerun)}`, target: '0' },
      ],
    };
  } finally {
    await jobs.queue('reminders').obliterate({ force: true }).catch(() => undefined);
    await baselineQueue.obliterate({ force: true }).catch(() => undefined);
    await baselineQueue.close();
    await app.close();
    await drop();
  }
}
