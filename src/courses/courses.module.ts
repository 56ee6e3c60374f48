import { Module } from '@nestjs/common';
import { CoursesRemindersRepository } from './courses-reminders.repository';
import { CoursesSuggestionsRepository } from './courses-suggestions.repository';
import { CoursesCertificatesRepository } from './courses-certificates.repository';
import { ProgressModule } from '../progress/progress.module';
import { ActivitiesService } from './activities.service';
import { CourseAccessService } from './course-access.service';
import { CourseClosingProcessor } from './course-closing.processor';
import { CoursesActivitiesRepository } from './courses-activities.repository';
import { ActivitiesController, CoursesController, SectionsController } from './courses.controller';
import { CoursesService } from './courses.service';
import { ScheduleController, CalendarFeedController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

@Module({
  imports: [ProgressModule],
  controllers: [CoursesController, SectionsController, ActivitiesController, ScheduleController, CalendarFeedController],
  providers: [CoursesRemindersRepository, CoursesSuggestionsRepository, CoursesCertificatesRepository, CourseAccessService, CoursesService, ActivitiesService, ScheduleService, CourseClosingProcessor, CoursesActivitiesRepository],
  exports: [CoursesRemindersRepository, CoursesSuggestionsRepository, CoursesCertificatesRepository, CourseAccessService, CoursesService, CoursesActivitiesRepository],
})
export class CoursesModule {}
