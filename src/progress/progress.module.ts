import { Module } from '@nestjs/common';
import { ProgressRemindersRepository } from './progress-reminders.repository';
import { ProgressCertificatesRepository } from './progress-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { CoursesModule } from '../courses/courses.module';
import { ActivityProgressRepository } from './activity-progress.repository';
import { CourseProgressRepository } from './course-progress.repository';
import { CreditEntriesRepository } from './credit-entries.repository';
import { DoneCountersRepository } from './done-counters.repository';
import { LearnerTodoRepository } from './learner-todo.repository';
import { LearningRecordRepository } from './learning-record.repository';
import { ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek } from './activity-done-count.entity';
import { ActivityProgress } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { CreditEntry } from './credit-entry.entity';
import { CoursePlanListener } from './course-plan.listener';
import { ProgressController } from './progress.controller';
import { ProgressMembershipService } from './progress-membership.service';
import { ProgressPlanService } from './progress-plan.service';
import { ProgressService } from './progress.service';
import { ProgressEnrollmentsRepository } from './progress-enrollments.repository';
import { LearnerTodoService } from './learner-todo.service';
import { RecordService } from './record.service';

@Module({
  imports: [TypeOrmModule.forFeature([ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek, ActivityProgress, CourseProgress, CourseResult, CreditEntry]), AccessModule, CoursesModule],
  controllers: [ProgressController],
  providers: [ActivityProgressRepository, CourseProgressRepository, CreditEntriesRepository, DoneCountersRepository, LearnerTodoRepository, LearningRecordRepository, ProgressRemindersRepository, ProgressCertificatesRepository, ProgressService, RecordService, LearnerTodoService, ProgressMembershipService, ProgressPlanService, CoursePlanListener, ProgressEnrollmentsRepository],
  exports: [ProgressRemindersRepository, ProgressCertificatesRepository, ProgressService, ProgressMembershipService, ProgressPlanService, ProgressEnrollmentsRepository],
})
export class ProgressModule {}
