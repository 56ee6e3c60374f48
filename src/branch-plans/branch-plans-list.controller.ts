import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { BranchPlansService } from './branch-plans.service';
import { ListPlansQuery } from './dto/branch-plans.dto';
import { PlanSummaryPageResponse } from './dto/branch-plans.response';

/** The plans across branches, for the unit admin's and the department's review queue. */
@ApiTags('branch work')
@Controller('branch-plans')
@Authenticated('admin')
export class BranchPlansListController {
  constructor(private readonly plans: BranchPlansService) {}

  @Get()
  @ApiOkResponse({ type: PlanSummaryPageResponse })
  list(@Query() query: ListPlansQuery, @CurrentUser() actor: AuthUser) {
    return this.plans.list(query, actor);
  }
}
