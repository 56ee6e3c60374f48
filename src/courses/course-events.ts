import { Injectable, Logger } from '@nestjs/common';

export type LearnersLeftListener = (courseId: string, userIds: string[]) => Promise<void>;
export type CourseClosedListener = (courseId: string) => Promise<void>;
export type CourseChangedListener = (courseId: string) => Promise<void>;
export type ActivityChangedListener = (activity: { id: string; type: string }) => Promise<void>;

/**
 * Lets other modules react, after the change is committed, when learners leave a course (withdrawn), the
 * course closes or one of its activities is edited, without the courses and enrolments modules depending on
 * them: the video hot path drops what it cached about who may still report and what a video asks. Listeners register at module start-up. A failing listener is
 * logged, not rethrown: the change itself has already happened.
 */
@Injectable()
export class CourseEvents {
  private readonly logger = new Logger(CourseEvents.name);
  private readonly leftListeners: LearnersLeftListener[] = [];
  private readonly closedListeners: CourseClosedListener[] = [];
  private readonly activityListeners: ActivityChangedListener[] = [];
  private readonly courseListeners: CourseChangedListener[] = [];

  onLearnersLeft(listener: LearnersLeftListener): void {
    this.leftListeners.push(listener);
  }

  onClosed(listener: CourseClosedListener): void {
    this.closedListeners.push(listener);
  }

  onActivityChanged(listener: ActivityChangedListener): void {
    this.activityListeners.push(listener);
  }

  /** The course's period or 补学 rule changed: when its activities stop taking work may have moved. */
  onCourseChanged(listener: CourseChangedListener): void {
    this.courseListeners.push(listener);
  }

  async courseChanged(courseId: string): Promise<void> {
    await this.notify(this.courseListeners.map((listener) => () => listener(courseId)), `course ${courseId} changed`);
  }

  async learnersLeft(courseId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.notify(this.leftListeners.map((listener) => () => listener(courseId, userIds)), `learners left course ${courseId}`);
  }

  async closed(courseId: string): Promise<void> {
    await this.notify(this.closedListeners.map((listener) => () => listener(courseId)), `course ${courseId} closed`);
  }

  async activityChanged(activity: { id: string; type: string }): Promise<void> {
    await this.notify(this.activityListeners.map((listener) => () => listener(activity)), `activity ${activity.id} changed`);
  }

  private async notify(calls: (() => Promise<void>)[], what: string): Promise<void> {
    for (const call of calls) {
      await call().catch((error: Error) => this.logger.warn(`a listener failed after ${what}: ${error.message}`));
    }
  }
}
