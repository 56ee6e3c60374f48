import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOB_HANDLER, JobHandler } from './job-handler.decorator';
import type { JobPayloads } from './jobs';

// The type checker is the test here (tsc compiles the specs): each @ts-expect-error must stay an error.
@Injectable()
class Handlers {
  @JobHandler('reminders.send')
  async send(payload: JobPayloads['reminders.send'], job: Job): Promise<string> {
    return `${payload.key} ${job.id}`;
  }

  @JobHandler('reminders.scan')
  async scan(payload: JobPayloads['reminders.scan']): Promise<number> {
    return Object.keys(payload).length;
  }

  // @ts-expect-error another job's payload
  @JobHandler('reminders.send')
  async wrongPayload(payload: JobPayloads['quiz.expire']): Promise<string> {
    return payload.attemptId;
  }

  // @ts-expect-error a wider type than the payload
  @JobHandler('certificates.compile')
  async wider(payload: object): Promise<object> {
    return payload;
  }

  // @ts-expect-error no payload parameter at all
  @JobHandler('course.close')
  async none(): Promise<void> {}
}

describe('@JobHandler', () => {
  it('records the job name for the dispatcher to find', () => {
    expect(Reflect.getMetadata(JOB_HANDLER.KEY, Handlers.prototype.send)).toBe('reminders.send');
    expect(Reflect.getMetadata(JOB_HANDLER.KEY, Handlers.prototype.scan)).toBe('reminders.scan');
  });
});
