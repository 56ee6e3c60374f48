import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentsActivitiesRepository } from './enrollments-activities.repository';

@Module({
  imports: [CoursesModule, ProgressModule, UsersModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService, EnrollmentsActivitiesRepository],
  exports: [EnrollmentsService, EnrollmentsActivitiesRepository],
})
export class EnrollmentsModule {}
