import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgressModule } from '../progress/progress.module';
import { AttachmentsController, ReadingsController, ReflectionsController } from './readings.controller';
import { ReadingAttachmentsService } from './reading-attachments.service';
import { ReflectionsService } from './reflections.service';

@Module({
  imports: [CoursesModule, ProgressModule, NotificationsModule],
  controllers: [ReadingsController, ReflectionsController, AttachmentsController],
  providers: [ReflectionsService, ReadingAttachmentsService],
})
export class ReadingsModule {}
