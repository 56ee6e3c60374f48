import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { CalendarFeedsRepository } from './calendar-feeds.repository';
import { CalendarFeedController, ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** The learner's study schedule (学习安排表) and calendar feeds: a course's plan with the learner's progress. */
@Module({
  imports: [CoursesModule, ProgressModule, UsersModule],
  controllers: [ScheduleController, CalendarFeedController],
  providers: [CalendarFeedsRepository, ScheduleService],
})
export class ScheduleModule {}
