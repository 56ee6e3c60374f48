import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { ReportsRefreshProcessor } from './reports-refresh.processor';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRefreshProcessor],
  exports: [ReportsService],
})
export class ReportsModule {}
