import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { ProgressModule } from '../progress/progress.module';
import { UsersModule } from '../users/users.module';
import { BankQuestionsRepository } from './bank-questions.repository';
import { QuestionBankController } from './question-bank.controller';
import { QuestionBankService } from './question-bank.service';
import { QuizAttemptsRepository } from './quiz-attempts.repository';
import { QuizExpiryProcessor } from './quiz-expiry.processor';
import { AttemptsController, QuizActivityController } from './quizzes.controller';
import { QuizzesService } from './quizzes.service';

@Module({
  imports: [CoursesModule, ProgressModule, UsersModule],
  controllers: [QuizActivityController, AttemptsController, QuestionBankController],
  providers: [QuizzesService, QuestionBankService, QuizExpiryProcessor, QuizAttemptsRepository, BankQuestionsRepository],
  exports: [QuestionBankService, QuizAttemptsRepository, BankQuestionsRepository],
})
export class QuizzesModule {}
