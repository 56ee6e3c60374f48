import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { BankListQuery, BankQuestionDto } from './dto/bank-question.dto';
import { QuestionBankService } from './question-bank.service';
import { BankQuestionPageResponse, BankQuestionResponse } from './dto/quiz.response';

/** A course's question bank (题库): its instructors and the department only, since every view holds answers. */
@ApiTags('quizzes')
@Controller()
@Authenticated('instructor', 'admin')
export class QuestionBankController {
  constructor(private readonly bank: QuestionBankService) {}

  /** Live questions by default (`?status=archived|all`), `?tag=` and `?q=` to narrow; with the tags in use. */
  @Get('courses/:id/questions')
  @ApiOkResponse({ type: BankQuestionPageResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: BankListQuery, @CurrentUser() actor: AuthUser) {
    return this.bank.list(id, actor, query);
  }

  /** 409 when the key is taken in this course. */
  @Post('courses/:id/questions')
  @ApiCreatedResponse({ type: BankQuestionResponse })
  create(@Param('id', IdPipe) id: string, @Body() dto: BankQuestionDto, @CurrentUser() actor: AuthUser) {
    return this.bank.create(id, actor, dto as Record<string, unknown>);
  }

  @Get('questions/:id')
  @ApiOkResponse({ type: BankQuestionResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.bank.get(id, actor);
  }

  /** 409 when the edit would leave a published quiz unable to draw its questions. */
  @Patch('questions/:id')
  @ApiOkResponse({ type: BankQuestionResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: BankQuestionDto, @CurrentUser() actor: AuthUser) {
    return this.bank.update(id, actor, dto as Record<string, unknown>);
  }

  /** Archived questions are no longer drawn; attempts that asked them keep them. 409 as for edits. */
  @Post('questions/:id/archive')
  @HttpCode(200)
  @ApiOkResponse({ type: BankQuestionResponse })
  archive(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.bank.setArchived(id, true, actor);
  }

  @Post('questions/:id/unarchive')
  @HttpCode(200)
  @ApiOkResponse({ type: BankQuestionResponse })
  unarchive(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.bank.setArchived(id, false, actor);
  }
}
