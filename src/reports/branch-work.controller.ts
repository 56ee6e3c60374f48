import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { complianceSheet } from './branch-work-export';
import { BranchWorkService } from './branch-work.service';
import { BranchWorkExportQuery, BranchWorkQuery, BranchWorkYearQuery } from './dto/branch-work.dto';
import { BranchWorkDetailResponse, BranchWorkReportResponse } from './dto/branch-work.response';
import { sheetXlsx } from './report-export';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Oversight of branch work (一规一表一册): unit admins see their unit, the department every unit. */
@ApiTags('reports')
@Controller('reports/branch-work')
export class BranchWorkController {
  constructor(private readonly branchWork: BranchWorkService) {}

  /** Each branch × applicable norm: required so far, accepted, overdue; waiting for review; by unit. */
  @Get()
  @Authenticated('admin')
  @ApiOkResponse({ type: BranchWorkReportResponse })
  async overview(@Query() query: BranchWorkQuery, @CurrentUser() actor: AuthUser): Promise<BranchWorkReportResponse> {
    const report = await this.branchWork.compliance(actor, query);
    return {
      ...report,
      branches: report.branches.slice(query.skip, query.skip + query.pageSize),
      total: report.branches.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The same table, every branch, as XLSX. */
  @Get('export')
  @Authenticated('admin')
  @ApiProduces(XLSX)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(@Query() query: BranchWorkExportQuery, @CurrentUser() actor: AuthUser): Promise<StreamableFile> {
    const report = await this.branchWork.compliance(actor, query);
    const file = `支部工作落实情况-${report.year}.xlsx`;
    return new StreamableFile(sheetXlsx(complianceSheet(report.year, report.norms, report.branches)), {
      type: XLSX,
      disposition: `attachment; filename="branch-work-${report.year}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`,
    });
  }

  /** Drill-down: one branch's figures and its records of the year (another unit's branch answers 404). */
  @Get('branches/:id')
  @Authenticated('admin')
  @ApiOkResponse({ type: BranchWorkDetailResponse })
  branch(@Param('id', IdPipe) id: string, @Query() query: BranchWorkYearQuery, @CurrentUser() actor: AuthUser): Promise<BranchWorkDetailResponse> {
    return this.branchWork.branch(actor, id, query.year);
  }
}
