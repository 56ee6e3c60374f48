import { ConflictException, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import { assertDepartment, type AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CourseAccessService } from '../courses/course-access.service';
import { ListDeliveriesQuery } from './dto/reminders.dto';
import { RemindersService } from './reminders.service';
import { DeliveryPageResponse, DeliverySummaryResponse, ReminderRunRequestedResponse, ReminderRunResponse } from './dto/reminders.response';

@ApiTags('reminders')
@Controller()
export class RemindersController {
  constructor(
    private readonly reminders: RemindersService,
    private readonly access: CourseAccessService,
  ) {}

  /**
   * Checks the course's learners now and sends the reminders that are due (same rules as the schedule).
   * The department and the course's instructors; a unit admin would remind other units' learners (403
   * DEPARTMENT_ONLY); an instructor who does not teach the course finds no course (404).
   */
  @Post('courses/:id/reminders/run')
  @HttpCode(202)
  @Authenticated('admin', 'instructor')
  @ApiAcceptedResponse({ type: ReminderRunRequestedResponse })
  async run(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    const course = await this.mayRun(id, actor);
    if (course.status !== 'published') {
      throw new ConflictException({ message: '培训班未发布或已结束，不能发送提醒', code: 'COURSE_NOT_RUNNING' });
    }
    return this.reminders.requestRun(course.id);
  }

  /** How a run went: `{state, queued, byKind, people, peopleByKind, delayMs}` once done. */
  @Get('courses/:id/reminders/run/:jobId')
  @Authenticated('admin', 'instructor')
  @ApiOkResponse({ type: ReminderRunResponse })
  async runStatus(@Param('id', IdPipe) id: string, @Param('jobId') jobId: string, @CurrentUser() actor: AuthUser) {
    await this.mayRun(id, actor);
    return this.reminders.runStatus(id, jobId);
  }

  /** Deliveries by outcome and the failures by reason, for the top of the admin page. */
  @Get('admin/reminders/summary')
  @Authenticated('admin')
  @ApiOkResponse({ type: DeliverySummaryResponse })
  summary(@CurrentUser() actor: AuthUser) {
    return this.reminders.deliverySummary(actor);
  }

  /** Reminder deliveries by status (default: failed), newest first; unit admins see their unit's people. */
  @Get('admin/reminders/deliveries')
  @Authenticated('admin')
  @ApiOkResponse({ type: DeliveryPageResponse })
  deliveries(@Query() query: ListDeliveriesQuery, @CurrentUser() actor: AuthUser) {
    return this.reminders.listDeliveries(query, actor);
  }

  private async mayRun(id: string, actor: AuthUser) {
    const { course, role } = await this.access.view(id, actor);
    if (role !== 'instructor') assertDepartment(actor, '为整个培训班发送提醒');
    return course;
  }
}
