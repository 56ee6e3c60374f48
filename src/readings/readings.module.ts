import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgModule } from '../org/org.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { AttachmentsController, ReadingsController, ReflectionsController, ReviewInboxController } from './readings.controller';
import { ReadingAttachmentsRepository } from './reading-attachments.repository';
import { ReadingAttachmentsService } from './reading-attachments.service';
import { ReflectionsRepository } from './reflections.repository';
import { ReflectionsService } from './reflections.service';
import { ReviewInboxService } from './review-inbox.service';

@Module({
  imports: [CoursesModule, NotificationsModule, OrgModule, ProgressModule, UsersModule],
  controllers: [ReadingsController, ReflectionsController, AttachmentsController, ReviewInboxController],
  providers: [ReflectionsService, ReadingAttachmentsService, ReviewInboxService, ReflectionsRepository, ReadingAttachmentsRepository],
  exports: [ReflectionsRepository, ReadingAttachmentsRepository],
})
export class ReadingsModule {}
