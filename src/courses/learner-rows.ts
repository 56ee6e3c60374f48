import { IdColumn, RefColumn, ReviewedWork } from '../database/columns';
import { User } from '../users/user.entity';
import { Activity } from './activity.entity';
import { Course } from './course.entity';

/** A row about one learner in one course (an enrolment, a certificate): its id and the two references. */
export abstract class CourseLearnerRow {
  @IdColumn()
  id: string;

  @RefColumn('course_id', { references: () => Course })
  courseId: string;

  @RefColumn('user_id', { references: () => User })
  userId: string;
}

// Mixins need a constructor type that takes any arguments.
type AbstractClass = abstract new (...args: any[]) => object;

/**
 * Adds the columns of a learner's work on one activity to `Base`: its id, the activity, the course it belongs
 * to (copied, for course-wide queries without a join) and the learner.
 */
function withLearnerWork<B extends AbstractClass>(Base: B) {
  abstract class LearnerWork extends Base {
    @IdColumn()
    id: string;

    @RefColumn('activity_id', { references: () => Activity })
    activityId: string;

    @RefColumn('course_id')
    courseId: string;

    @RefColumn('user_id', { references: () => User })
    userId: string;
  }
  return LearnerWork;
}

abstract class NoColumns {}

/** A learner's work on one activity (a quiz attempt, an attendance mark). */
export const LearnerWorkRow = withLearnerWork(NoColumns);

/** Learner work that is submitted and reviewed (a reflection). */
export const ReviewedLearnerWorkRow = withLearnerWork(ReviewedWork);
