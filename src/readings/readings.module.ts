import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgressModule } from '../progress/progress.module';
import { ReadingsController, ReflectionsController } from './readings.controller';
import { ReflectionsService } from './reflections.service';

@Module({
  imports: [CoursesModule, ProgressModule, NotificationsModule],
  controllers: [ReadingsController, ReflectionsController],
  providers: [ReflectionsService],
})
export class ReadingsModule {}
