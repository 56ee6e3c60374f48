import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { QuizExpiryProcessor } from './quiz-expiry.processor';
import { AttemptsController, QuizActivityController } from './quizzes.controller';
import { QuizzesService } from './quizzes.service';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [QuizActivityController, AttemptsController],
  providers: [QuizzesService, QuizExpiryProcessor],
})
export class QuizzesModule {}
