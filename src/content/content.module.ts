import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { ProgressModule } from '../progress/progress.module';
import { QuizzesModule } from '../quizzes/quizzes.module';
import { VideosModule } from '../videos/videos.module';
import { ContentImportService } from './content-import.service';

@Module({
  imports: [CoursesModule, EnrollmentsModule, ProgressModule, QuizzesModule, VideosModule],
  providers: [ContentImportService],
  exports: [ContentImportService],
})
export class ContentModule {}
