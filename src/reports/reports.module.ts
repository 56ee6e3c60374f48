import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NormsModule } from '../norms/norms.module';
import { ProgressModule } from '../progress/progress.module';
import { BranchWorkController } from './branch-work.controller';
import { BranchWorkRemindersRepository } from './branch-work-reminders.repository';
import { BranchWorkRepository } from './branch-work.repository';
import { BranchWorkService } from './branch-work.service';
import { ReportLearnersRepository } from './report-learners.repository';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { WeeklySummaryRepository } from './weekly-summary.repository';

@Module({
  imports: [CoursesModule, ProgressModule, NormsModule],
  controllers: [ReportsController, BranchWorkController],
  providers: [BranchWorkRepository, BranchWorkRemindersRepository, BranchWorkService, ReportsRepository, ReportLearnersRepository, WeeklySummaryRepository, ReportsService],
  exports: [ReportsService, WeeklySummaryRepository, BranchWorkService, BranchWorkRemindersRepository],
})
export class ReportsModule {}
