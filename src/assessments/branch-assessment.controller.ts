import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { AssessmentResultsService } from './assessment-results.service';
import { BranchAssessmentQuery } from './dto/assessment.dto';
import { BranchAssessmentResponse } from './dto/assessment.response';

@ApiTags('assessments')
@Controller('branches/:id/assessment')
@Authenticated('admin', 'secretary')
export class BranchAssessmentController {
  constructor(private readonly results: AssessmentResultsService) {}

  /** The branch's result for the year with the breakdown and evidence: its secretary once published; admins of its unit and the department. */
  @Get()
  @ApiOkResponse({ type: BranchAssessmentResponse })
  get(@Param('id', IdPipe) id: string, @Query() query: BranchAssessmentQuery, @CurrentUser() actor: AuthUser) {
    return this.results.branch(id, query.year, actor);
  }
}
