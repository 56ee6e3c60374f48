import { Injectable, Logger } from '@nestjs/common';

export type LearnersLeftListener = (courseId: string, userIds: string[]) => Promise<void>;
export type CourseClosedListener = (courseId: string) => Promise<void>;

/**
 * Lets other modules react, after the change is committed, when learners leave a course (withdrawn) or the
 * course closes, without the courses and enrolments modules depending on them: the video hot path drops
 * what it cached about who may still report. Listeners register at module start-up. A failing listener is
 * logged, not rethrown: the change itself has already happened.
 */
@Injectable()
export class CourseEvents {
  private readonly logger = new Logger(CourseEvents.name);
  private readonly leftListeners: LearnersLeftListener[] = [];
  private readonly closedListeners: CourseClosedListener[] = [];

  onLearnersLeft(listener: LearnersLeftListener): void {
    this.leftListeners.push(listener);
  }

  onClosed(listener: CourseClosedListener): void {
    this.closedListeners.push(listener);
  }

  async learnersLeft(courseId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.notify(this.leftListeners.map((listener) => () => listener(courseId, userIds)), `learners left course ${courseId}`);
  }

  async closed(courseId: string): Promise<void> {
    await this.notify(this.closedListeners.map((listener) => () => listener(courseId)), `course ${courseId} closed`);
  }

  private async notify(calls: (() => Promise<void>)[], what: string): Promise<void> {
    for (const call of calls) {
      await call().catch((error: Error) => this.logger.warn(`a listener failed after ${what}: ${error.message}`));
    }
  }
}
