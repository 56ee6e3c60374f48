import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { EnrollDto, ListEnrollmentsQuery } from './dto/enrollment.dto';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentPageResponse, EnrollResultResponse } from './dto/enrollment.response';

@ApiTags('enrollments')
@Controller('courses/:id/enrollments')
@Authenticated('instructor', 'admin')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  /** → `{enrolled, total}`: how many were newly enrolled (repeating changes nothing) and how many are in now. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: EnrollResultResponse })
  enroll(@Param('id', IdPipe) id: string, @Body() dto: EnrollDto, @CurrentUser() actor: AuthUser) {
    return this.enrollments.enroll(id, dto, actor);
  }

  @Get()
  @ApiOkResponse({ type: EnrollmentPageResponse })
  list(@Param('id', IdPipe) id: string, @Query() query: ListEnrollmentsQuery, @CurrentUser() actor: AuthUser) {
    return this.enrollments.list(id, query, actor);
  }

  /** Withdrawal keeps the enrolment row and everything the learner did. */
  @Delete(':userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  withdraw(@Param('id', IdPipe) id: string, @Param('userId', IdPipe) userId: string, @CurrentUser() actor: AuthUser) {
    return this.enrollments.withdraw(id, userId, actor);
  }
}
