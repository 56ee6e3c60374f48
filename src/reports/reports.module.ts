import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { ReportLearnersRepository } from './report-learners.repository';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { WeeklySummaryRepository } from './weekly-summary.repository';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportLearnersRepository, WeeklySummaryRepository, ReportsService],
  exports: [ReportsService, WeeklySummaryRepository],
})
export class ReportsModule {}
