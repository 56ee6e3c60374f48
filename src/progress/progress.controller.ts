import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { LearnerTodoService } from './learner-todo.service';
import { RecordService } from './record.service';
import { CourseProgressResponse, LearnerTodoResponse, LearningRecordResponse } from './dto/progress.response';

export class RecordQuery {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

@ApiTags('progress')
@Controller()
export class ProgressController {
  constructor(
    private readonly records: RecordService,
    private readonly todos: LearnerTodoService,
  ) {}

  /** 待办, the learner's home: required work overdue or due soon across running courses, and each course's figures. */
  @Get('me/todo')
  @Authenticated()
  @ApiOkResponse({ type: LearnerTodoResponse })
  todo(@CurrentUser() actor: AuthUser) {
    return this.todos.todo(actor.id);
  }

  /** The caller's own progress in a course they are enrolled in (frozen results once it has closed). */
  @Get('courses/:id/progress')
  @Authenticated('secretary')
  @ApiOkResponse({ type: CourseProgressResponse })
  progress(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.records.courseProgress(id, actor.id);
  }

  /** 学习档案: every activity of every course with state and dates; `?format=csv` for a spreadsheet. */
  @Get('me/record')
  @Authenticated()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(LearningRecordResponse)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LearningRecordResponse) } },
      'text/csv': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async record(@Query() query: RecordQuery, @CurrentUser() actor: AuthUser, @Res({ passthrough: true }) reply: FastifyReply) {
    if (query.format !== 'csv') return this.records.record(actor.id);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="learning-record-${actor.username}.csv"; filename*=UTF-8''${encodeURIComponent('学习档案')}-${actor.username}.csv`);
    return this.records.recordCsv(actor.id);
  }
}
