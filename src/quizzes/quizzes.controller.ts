import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { AnswersDto } from './dto/attempt.dto';
import { QuizzesService } from './quizzes.service';
import { AttemptResponse, QuizStatsResponse, SubmittedAttemptResponse } from './dto/quiz.response';

@ApiTags('quizzes')
@Controller('activities/:id')
export class QuizActivityController {
  constructor(private readonly quizzes: QuizzesService) {}

  /** Starts an attempt (or returns the open one): questions without answers, and the server's deadline. */
  @Post('attempts')
  @Authenticated('secretary')
  @ApiCreatedResponse({ type: AttemptResponse, description: 'the new attempt, or the open one' })
  start(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.quizzes.start(id, actor);
  }

  @Get('attempts')
  @Authenticated('secretary')
  @ApiOkResponse({ type: [AttemptResponse] })
  mine(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.quizzes.attempts(id, actor);
  }

  /** Item statistics for the course's instructors and admins. */
  @Get('quiz-stats')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: QuizStatsResponse })
  stats(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.quizzes.statistics(id, actor);
  }
}

@ApiTags('quizzes')
@Controller('attempts')
@Authenticated('secretary')
export class AttemptsController {
  constructor(private readonly quizzes: QuizzesService) {}

  @Get(':id')
  @ApiOkResponse({ type: AttemptResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.quizzes.get(id, actor);
  }

  /** Saves answers during the attempt; 409 after the deadline (plus a short grace). */
  @Put(':id/answers')
  @ApiOkResponse({ type: AttemptResponse })
  save(@Param('id', IdPipe) id: string, @Body() dto: AnswersDto, @CurrentUser() actor: AuthUser) {
    return this.quizzes.save(id, actor, dto.answers ?? {});
  }

  /** Grades the attempt; 409 when already submitted or past the deadline (then graded on what was saved). */
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOkResponse({ type: SubmittedAttemptResponse })
  submit(@Param('id', IdPipe) id: string, @Body() dto: AnswersDto, @CurrentUser() actor: AuthUser) {
    return this.quizzes.submit(id, actor, dto.answers ?? {});
  }
}
