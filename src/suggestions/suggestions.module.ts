import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsRepository } from './suggestions.repository';
import { SuggestionsService } from './suggestions.service';

@Module({
  imports: [CoursesModule, NotificationsModule, UsersModule],
  controllers: [SuggestionsController],
  providers: [SuggestionsRepository, SuggestionsService],
  exports: [SuggestionsRepository],
})
export class SuggestionsModule {}
