import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [SessionsController],
  providers: [SessionsService],
})
export class SessionsModule {}
