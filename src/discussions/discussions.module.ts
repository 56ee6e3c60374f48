import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { DiscussionsController } from './discussions.controller';
import { DiscussionsRepository } from './discussions.repository';
import { DiscussionsService } from './discussions.service';

@Module({
  imports: [CoursesModule, EnrollmentsModule, ProgressModule, NotificationsModule, UsersModule],
  controllers: [DiscussionsController],
  providers: [DiscussionsService, DiscussionsRepository],
  exports: [DiscussionsRepository],
})
export class DiscussionsModule {}
