import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { ProgressModule } from '../progress/progress.module';
import { QuizzesModule } from '../quizzes/quizzes.module';
import { UsersModule } from '../users/users.module';
import { VideosModule } from '../videos/videos.module';
import { ContentImportService } from './content-import.service';

/** ProgressModule: its listeners keep learners' summaries in step with the plan changes an import makes. */
@Module({
  imports: [CoursesModule, EnrollmentsModule, ProgressModule, QuizzesModule, VideosModule, UsersModule],
  providers: [ContentImportService],
  exports: [ContentImportService],
})
export class ContentModule {}
