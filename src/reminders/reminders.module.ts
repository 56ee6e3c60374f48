import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { MailModule } from '../mail/mail.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { ReportsModule } from '../reports/reports.module';
import { SurveysDataModule } from '../surveys/surveys-data.module';
import { UsersModule } from '../users/users.module';
import { BranchWorkRemindersService } from './branch-work-reminders.service';
import { CLOCK, systemClock } from './clock';
import { ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import { ReminderDeliveryService } from './reminder-delivery.service';
import { RemindersController } from './reminders.controller';
import { RemindersProcessor } from './reminders.processor';
import { RemindersService } from './reminders.service';
import { SurveyRemindersService } from './survey-reminders.service';

@Module({
  imports: [CoursesModule, EnrollmentsModule, ProgressModule, UsersModule, OrgModule, ReportsModule, SurveysDataModule, MailModule, NotificationsModule],
  controllers: [RemindersController],
  providers: [ReminderDeliveriesRepository, RemindersService, BranchWorkRemindersService, SurveyRemindersService, ReminderDeliveryService, RemindersProcessor, { provide: CLOCK, useValue: systemClock }],
  exports: [RemindersService, BranchWorkRemindersService, SurveyRemindersService, CLOCK],
})
export class RemindersModule {}
