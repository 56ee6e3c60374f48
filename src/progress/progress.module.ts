import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek } from './activity-done-count.entity';
import { ActivityProgress } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { CreditEntry } from './credit-entry.entity';
import { CoursePlanListener } from './course-plan.listener';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';
import { ProgressEnrollmentsRepository } from './progress-enrollments.repository';
import { LearnerTodoService } from './learner-todo.service';
import { RecordService } from './record.service';

@Module({
  imports: [TypeOrmModule.forFeature([ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek, ActivityProgress, CourseProgress, CourseResult, CreditEntry])],
  controllers: [ProgressController],
  providers: [ProgressService, RecordService, LearnerTodoService, CoursePlanListener, ProgressEnrollmentsRepository],
  exports: [ProgressService, ProgressEnrollmentsRepository],
})
export class ProgressModule {}
