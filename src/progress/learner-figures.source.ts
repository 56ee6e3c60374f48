import { Injectable } from '@nestjs/common';
import { LearnerFiguresSource, type LearnerFigures, type LearnerFiguresReader } from '../enrollments/learner-figures';
import { CourseProgressRepository } from './course-progress.repository';

/** The enrolments list's figures: each learner's stored summary of the course. */
@Injectable()
@LearnerFiguresSource()
export class ProgressLearnerFigures implements LearnerFiguresReader {
  constructor(private readonly summaries: CourseProgressRepository) {}

  figuresOf(courseId: string, userIds: string[]): Promise<Map<string, LearnerFigures>> {
    return this.summaries.figuresOf(courseId, userIds);
  }
}
