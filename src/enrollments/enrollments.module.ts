import { Module } from '@nestjs/common';
import { EnrollmentsRemindersRepository } from './enrollments-reminders.repository';
import { EnrollmentsCertificatesRepository } from './enrollments-certificates.repository';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentsActivitiesRepository } from './enrollments-activities.repository';

@Module({
  imports: [CoursesModule, ProgressModule, UsersModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsRemindersRepository, EnrollmentsCertificatesRepository, EnrollmentsService, EnrollmentsActivitiesRepository],
  exports: [EnrollmentsRemindersRepository, EnrollmentsCertificatesRepository, EnrollmentsService, EnrollmentsActivitiesRepository],
})
export class EnrollmentsModule {}
