import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { YearPipe } from '../norms/year.pipe';
import { BranchPlansService } from './branch-plans.service';
import { PlanExportQuery, ReviewPlanDto, SavePlanDto } from './dto/branch-plans.dto';
import { PlanResponse } from './dto/branch-plans.response';

/** A branch's annual plan: its secretary drafts and submits it; its unit's admins (or the department) review it. */
@ApiTags('branch work')
@Controller('branches/:id/plans/:year')
@Authenticated('secretary', 'admin')
export class BranchPlansController {
  constructor(private readonly plans: BranchPlansService) {}

  @Get()
  @ApiOkResponse({ type: PlanResponse })
  get(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @CurrentUser() actor: AuthUser) {
    return this.plans.get(id, year, actor);
  }

  /** The whole list of items, while the plan is a draft or returned. */
  @Put()
  @ApiOkResponse({ type: PlanResponse })
  save(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @Body() dto: SavePlanDto, @CurrentUser() actor: AuthUser) {
    return this.plans.save(id, year, dto.items, actor);
  }

  @Post('submit')
  @HttpCode(200)
  @ApiOkResponse({ type: PlanResponse })
  submit(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @CurrentUser() actor: AuthUser) {
    return this.plans.submit(id, year, actor);
  }

  @Post('review')
  @HttpCode(200)
  @ApiOkResponse({ type: PlanResponse })
  review(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @Body() dto: ReviewPlanDto, @CurrentUser() actor: AuthUser) {
    return this.plans.review(id, year, dto, actor);
  }

  /** The printed 年度安排表: `?format=xlsx` (default) or `pdf`. */
  @Get('export')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(@Param('id', IdPipe) id: string, @Param('year', YearPipe) year: number, @Query() query: PlanExportQuery, @CurrentUser() actor: AuthUser) {
    const format = query.format ?? 'xlsx';
    const file = await this.plans.export(id, year, format, actor);
    const disposition = `attachment; filename="plan-${id}-${year}.${format}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
    return new StreamableFile(file.body, { type: file.type, disposition });
  }
}
