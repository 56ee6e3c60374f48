import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { MailModule } from '../mail/mail.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CLOCK, systemClock } from './clock';
import { ReminderDeliveryService } from './reminder-delivery.service';
import { RemindersController } from './reminders.controller';
import { RemindersProcessor } from './reminders.processor';
import { RemindersService } from './reminders.service';

@Module({
  imports: [CoursesModule, MailModule, NotificationsModule],
  controllers: [RemindersController],
  providers: [RemindersService, ReminderDeliveryService, RemindersProcessor, { provide: CLOCK, useValue: systemClock }],
  exports: [RemindersService, CLOCK],
})
export class RemindersModule {}
