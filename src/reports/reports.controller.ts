import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { BranchRankingQuery, CompletionQuery, ExportQuery, LearnerFilterQuery } from './dto/report-query.dto';
import { branchSheet, EXPORT_NAMES, learnerSheet, sheetCsv, sheetXlsx, unitSheet } from './report-export';
import { ReportsService } from './reports.service';
import { BranchRankingResponse, CompletionReportResponse, LearnerReportPageResponse } from './dto/report.response';

/** Completion tracking for the department (unit admins: their unit) and the course's instructors. */
@ApiTags('reports')
@Controller('reports/courses/:id')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Overall, by unit, by branch, by activity (with overdue), 学时 distribution and the weekly trend. */
  @Get('completion')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CompletionReportResponse })
  completion(@Param('id', IdPipe) id: string, @Query() query: CompletionQuery, @CurrentUser() actor: AuthUser) {
    return this.reports.completion(id, actor, query.unitId);
  }

  /** Learners with their progress: filters, search, sort, pages. */
  @Get('learners')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: LearnerReportPageResponse })
  learners(@Param('id', IdPipe) id: string, @Query() query: LearnerFilterQuery, @CurrentUser() actor: AuthUser) {
    return this.reports.learners(id, actor, query);
  }

  /** A unit's branches ranked by completion rate with the names of learners behind, and the unit's standing. */
  @Get('branches')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: BranchRankingResponse })
  branches(@Param('id', IdPipe) id: string, @Query() query: BranchRankingQuery, @CurrentUser() actor: AuthUser) {
    return this.reports.branchRanking(id, actor, query);
  }

  /** The learners table (same filters as the list, every page), or the by-unit / by-branch table, as CSV or XLSX. */
  @Get('export')
  @Authenticated('instructor', 'admin')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(@Param('id', IdPipe) id: string, @Query() query: ExportQuery, @CurrentUser() actor: AuthUser): Promise<StreamableFile> {
    let sheet;
    if (query.table === 'learners') {
      sheet = learnerSheet(await this.reports.allLearners(id, actor, query));
    } else {
      const tables = await this.reports.rateTables(id, actor, query.unitId);
      sheet = query.table === 'units' ? unitSheet(tables.byUnit) : branchSheet(tables.byBranch);
    }
    const file = `${EXPORT_NAMES[query.table]}-${id}.${query.format}`;
    const disposition = `attachment; filename="report-${query.table}-${id}.${query.format}"; filename*=UTF-8''${encodeURIComponent(file)}`;
    return query.format === 'xlsx'
      ? new StreamableFile(sheetXlsx(sheet), { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', disposition })
      : new StreamableFile(sheetCsv(sheet), { type: 'text/csv; charset=utf-8', disposition });
  }
}
