import { Module } from '@nestjs/common';
import { ProgressRemindersRepository } from './progress-reminders.repository';
import { ProgressCertificatesRepository } from './progress-certificates.repository';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek } from './activity-done-count.entity';
import { ActivityProgress } from './activity-progress.entity';
import { CourseProgress } from './course-progress.entity';
import { CourseResult } from './course-result.entity';
import { CreditEntry } from './credit-entry.entity';
import { ProgressController } from './progress.controller';
import { ProgressMembershipService } from './progress-membership.service';
import { ProgressPlanService } from './progress-plan.service';
import { ProgressService } from './progress.service';
import { LearnerTodoService } from './learner-todo.service';
import { RecordService } from './record.service';

@Module({
  imports: [TypeOrmModule.forFeature([ActivityDoneCount, ActivityDoneResult, RequiredDoneWeek, ActivityProgress, CourseProgress, CourseResult, CreditEntry])],
  controllers: [ProgressController],
  providers: [ProgressRemindersRepository, ProgressCertificatesRepository, ProgressService, RecordService, LearnerTodoService, ProgressMembershipService, ProgressPlanService],
  exports: [ProgressRemindersRepository, ProgressCertificatesRepository, ProgressService, ProgressMembershipService, ProgressPlanService],
})
export class ProgressModule {}
