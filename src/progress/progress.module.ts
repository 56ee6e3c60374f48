import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { SurveysDataModule } from '../surveys/surveys-data.module';
import { UsersModule } from '../users/users.module';
import { ActivityMarks } from './activity-marks';
import { ActivityProgressRepository } from './activity-progress.repository';
import { CourseProgressRepository } from './course-progress.repository';
import { CourseFiguresRepository } from './course-figures.repository';
import { CourseBranchFigures, CourseFigureBasis, CourseUnitCell } from './course-figures.entity';
import { CreditEntriesRepository } from './credit-entries.repository';
import { DoneCountersRepository } from './done-counters.repository';
import { ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek } from './activity-done-count.entity';
import { ActivityProgress } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { CreditEntry } from './credit-entry.entity';
import { CoursePlanListener } from './course-plan.listener';
import { ProgressLearnerFigures } from './learner-figures.source';
import { ProgressController } from './progress.controller';
import { ProgressMembershipService } from './progress-membership.service';
import { ProgressPlanService } from './progress-plan.service';
import { ProgressService } from './progress.service';
import { LearnerTodoService } from './learner-todo.service';
import { RecordService } from './record.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      ActivityDoneCount,
      ActivityDoneResult,
      RequiredDoneWeek,
      ActivityProgress,
      CourseProgress,
      CourseResult,
      CreditEntry,
      CourseFigureBasis,
      CourseBranchFigures,
      CourseUnitCell,
    ]),
    AccessModule,
    CoursesModule,
    EnrollmentsModule,
    SurveysDataModule,
    UsersModule,
    DiscoveryModule,
  ],
  controllers: [ProgressController],
  providers: [
    ActivityProgressRepository,
    CourseProgressRepository,
    CourseFiguresRepository,
    CreditEntriesRepository,
    DoneCountersRepository,
    ProgressService,
    RecordService,
    LearnerTodoService,
    ProgressMembershipService,
    ProgressPlanService,
    CoursePlanListener,
    ActivityMarks,
    ProgressLearnerFigures,
  ],
  exports: [ActivityProgressRepository, CourseProgressRepository, ProgressService, ProgressMembershipService, ProgressPlanService],
})
export class ProgressModule {}
