import { ConflictException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Activity } from '../courses/activity.entity';
import type { InTransactionEvents } from '../events/event-map';
import { OnEventInTransaction } from '../events/on-event.decorator';
import { ProgressService } from './progress.service';

const CHUNK = 1000;

/**
 * Learners' standing follows what the courses and enrolments modules change, inside their transactions:
 * a changed plan recomputes the course's summaries, changed 学时 are corrected in the ledger, closing freezes
 * the results, and people enrolled, withdrawn, returned or moved carry their summaries' copies along.
 */
@Injectable()
export class CoursePlanListener {
  constructor(private readonly progress: ProgressService) {}

  @OnEventInTransaction('course.planChanged')
  async planChanged({ courseId }: InTransactionEvents['course.planChanged'], manager: EntityManager): Promise<void> {
    await this.progress.recomputeCourse(courseId, manager);
  }

  @OnEventInTransaction('activity.creditHoursChanged')
  async creditHoursChanged(event: InTransactionEvents['activity.creditHoursChanged'], manager: EntityManager): Promise<void> {
    const activity = { id: event.activityId, type: event.type, title: event.title, creditHours: event.creditHours } as Activity;
    await this.progress.creditHoursChanged(manager, activity, event.previousHours);
  }

  /** Learners' records are never deleted with their activity: it can be archived instead. */
  @OnEventInTransaction('activity.deleting')
  async deleting({ activityId }: InTransactionEvents['activity.deleting']): Promise<void> {
    if (await this.progress.hasLearnerRecords(activityId)) {
      throw new ConflictException({ message: '已有学员的学习记录，不能删除，可以归档', code: 'ACTIVITY_HAS_RECORDS' });
    }
  }

  @OnEventInTransaction('course.closing')
  async closing({ courseId }: InTransactionEvents['course.closing'], manager: EntityManager): Promise<void> {
    await this.progress.freeze(manager, courseId);
  }

  /** Newcomers get their summary; the returned and the withdrawn have their copies (and counters) synced. */
  @OnEventInTransaction('enrollment.changed')
  async enrollmentChanged({ courseId, userIds }: InTransactionEvents['enrollment.changed'], manager: EntityManager): Promise<void> {
    await this.progress.initLearners(manager, courseId, userIds);
    for (let i = 0; i < userIds.length; i += CHUNK) await this.progress.syncLearners(manager, userIds.slice(i, i + CHUNK), courseId);
  }

  /** People who moved: the copies of their unit and branch follow them, in every course (closed ones too). */
  @OnEventInTransaction('people.placed')
  async placed({ userIds }: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    for (let i = 0; i < userIds.length; i += CHUNK) await this.progress.syncLearners(manager, userIds.slice(i, i + CHUNK));
  }
}
