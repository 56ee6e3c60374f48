import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgressModule } from '../progress/progress.module';
import { AttachmentsController, ReadingsController, ReflectionsController, ReviewInboxController } from './readings.controller';
import { ReadingAttachmentsService } from './reading-attachments.service';
import { ReflectionsService } from './reflections.service';
import { ReviewInboxService } from './review-inbox.service';

@Module({
  imports: [CoursesModule, ProgressModule, NotificationsModule],
  controllers: [ReadingsController, ReflectionsController, AttachmentsController, ReviewInboxController],
  providers: [ReflectionsService, ReadingAttachmentsService, ReviewInboxService],
})
export class ReadingsModule {}
