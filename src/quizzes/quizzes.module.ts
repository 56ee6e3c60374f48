import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { QuestionBankController } from './question-bank.controller';
import { QuestionBankService } from './question-bank.service';
import { QuizExpiryProcessor } from './quiz-expiry.processor';
import { QuizPlanValidator } from './quiz-plan.validator';
import { AttemptsController, QuizActivityController } from './quizzes.controller';
import { QuizzesService } from './quizzes.service';

@Module({
  imports: [CoursesModule, ProgressModule],
  controllers: [QuizActivityController, AttemptsController, QuestionBankController],
  providers: [QuizzesService, QuestionBankService, QuizExpiryProcessor, QuizPlanValidator],
  exports: [QuestionBankService],
})
export class QuizzesModule {}
