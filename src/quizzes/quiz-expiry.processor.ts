import { Injectable } from '@nestjs/common';
import { JobHandler } from '../jobs/job-handler.decorator';
import type { JobPayloads } from '../jobs/jobs';
import { QuizzesService } from './quizzes.service';

/** Closes an attempt left open past its deadline, grading what was saved. Harmless when already closed. */
@Injectable()
export class QuizExpiryProcessor {
  constructor(private readonly quizzes: QuizzesService) {}

  @JobHandler('quiz.expire')
  expire(payload: JobPayloads['quiz.expire']): Promise<string> {
    return this.quizzes.expire(payload.attemptId);
  }
}
