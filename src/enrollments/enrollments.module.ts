import { Module } from '@nestjs/common';
import { EnrollmentsRemindersRepository } from './enrollments-reminders.repository';
import { EnrollmentsCertificatesRepository } from './enrollments-certificates.repository';
import { AccessModule } from '../access/access.module';
import { CoursesModule } from '../courses/courses.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsRepository } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentsActivitiesRepository } from './enrollments-activities.repository';

@Module({
  imports: [AccessModule, CoursesModule, ProgressModule, UsersModule, OrgModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsRemindersRepository, EnrollmentsCertificatesRepository, EnrollmentsService, EnrollmentsActivitiesRepository, EnrollmentsRepository],
  exports: [EnrollmentsRemindersRepository, EnrollmentsCertificatesRepository, EnrollmentsService, EnrollmentsActivitiesRepository, EnrollmentsRepository],
})
export class EnrollmentsModule {}
