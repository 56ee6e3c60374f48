import type { AppConfig } from '../config/config';
import type { JobsOptions } from 'bullmq';
import type { ReminderJob } from './reminder-job';

/**
 * Every background job in one place: its queue, its payload type and its deterministic id. A job that must
 * not run twice for the same subject gets the same id each time it is enqueued, so BullMQ drops duplicates.
 * Feature modules add their jobs to `JobPayloads` and `JOB_DEFINITIONS` and mark one method per name with
 * @JobHandler(name); the worker refuses to start when a name has no handler or two.
 */
export const QUEUES = ['courses', 'reminders', 'certificates', 'assessments'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobPayloads {
  /** Closes a course when its period plus grace has passed; `closeAt` makes a moved end date a new job. */
  'course.close': { courseId: string; closeAt: string };
  /** Writes watched intervals from Redis to MySQL; repeats every VIDEO_FLUSH_INTERVAL_SECONDS. */
  'video.flush': Record<string, never>;
  /** Grades a quiz attempt left open past its deadline. */
  'quiz.expire': { attemptId: string };
  /** Repeating: finds the courses running now and fans out one reminders.course job each. */
  'reminders.scan': Record<string, never>;
  /** Decides who in one course needs which reminder now and adds one reminders.send job per reminder. */
  'reminders.course': { courseId: string; at: string };
  /** Sends one reminder to one person; the job id is the reminder's dedupe key (see src/reminders). */
  'reminders.send': ReminderJob;
  /**
   * Compiles a course's certificates: `batchId` for a run an admin started, none for the run closing starts.
   * Issues the certificates (serials in learner order), queueing a certificates.render job for each serial
   * range as soon as it is issued, so rendering on every worker overlaps the issuing.
   */
  'certificates.compile': { courseId: string; batchId?: string };
  /**
   * Renders and stores the PDFs of the course's certificates with `from` ≤ seq ≤ `to` still lacking one; the
   * batch is done once its issuing has ended (`issued_up_to` set) and none up to that serial lacks one.
   */
  'certificates.render': { courseId: string; batchId: string; from: number; to: number };
  /** Lists an assessment round's branches and fans out one assessments.chunk job per slice of them. */
  'assessments.round': { roundId: string; attempt: number };
  /** Counts the evidence of one slice of a round's branches (by their place in the round). */
  'assessments.chunk': { roundId: string; attempt: number; chunk: number };
}
export type JobName = keyof JobPayloads;

export interface JobDefinition<P = unknown> {
  queue: QueueName;
  /** Deterministic id: the same subject always maps to the same job. */
  id: (payload: P) => string;
  options?: JobsOptions;
}

export type JobRegistry = Record<string, JobDefinition<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
export const JOB_DEFINITIONS: { [N in JobName]: JobDefinition<JobPayloads[N]> } & JobRegistry = {
  'course.close': { queue: 'courses', id: (p) => deterministicJobId('course.close', p.courseId, Date.parse(p.closeAt)) },
  'quiz.expire': { queue: 'courses', id: (p) => deterministicJobId('quiz.expire', p.attemptId) },
  'certificates.compile': {
    queue: 'certificates',
    id: (p) => (p.batchId ? deterministicJobId('certificates.compile', 'batch', p.batchId) : deterministicJobId('certificates.compile', p.courseId, 'close')),
  },
  'certificates.render': { queue: 'certificates', id: (p) => deterministicJobId('certificates.render', p.batchId, `${p.from}-${p.to}`) },
  'assessments.round': { queue: 'assessments', id: (p) => deterministicJobId('assessments.round', p.roundId, p.attempt) },
  'assessments.chunk': { queue: 'assessments', id: (p) => deterministicJobId('assessments.chunk', p.roundId, p.attempt, p.chunk) },
  'video.flush': { queue: 'courses', id: () => 'video.flush', options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
  'reminders.scan': { queue: 'reminders', id: () => 'reminders.scan', options: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
  'reminders.course': { queue: 'reminders', id: (p) => deterministicJobId('reminders.course', p.courseId, p.at) },
  // A failed SMTP send retries with backoff: 1, 2, 4, 8, 16 minutes, then the delivery shows as failed.
  'reminders.send': { queue: 'reminders', id: (p) => p.key, options: { attempts: 6, backoff: { type: 'exponential', delay: 60_000 } } },
};

/** Repeating jobs, created (upserted) in this one place when a worker starts, so workers never duplicate them. */
export const JOB_SCHEDULES: Array<
  // `cron` (China time) for work that must not run the moment a worker starts; `everySeconds` runs at once, then repeats.
  { name: JobName; everySeconds: (config: AppConfig) => number } | { name: JobName; cron: (config: AppConfig) => string }
> = [
  { name: 'video.flush', everySeconds: (config) => config.video.flushIntervalSeconds },
  { name: 'reminders.scan', cron: (config) => config.reminders.scanCron },
];

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { count: 1000, age: 7 * 24 * 3600 },
  removeOnFail: { count: 5000, age: 30 * 24 * 3600 },
};

/** BullMQ forbids ':' inside custom job ids, so subjects are joined with '.'. */
export function deterministicJobId(name: string, ...subject: Array<string | number>): string {
  return [name, ...subject].join('.').replace(/:/g, '_');
}
