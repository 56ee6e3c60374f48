import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { YearPipe } from '../norms/year.pipe';
import { resultSheetPdf, resultsXlsx } from './assessment-export';
import { AssessmentResultsService } from './assessment-results.service';
import { AssessmentRoundsService } from './assessment-rounds.service';
import { MEASURE_KEYS, MEASURES } from './assessment-scheme';
import { AssessmentSchemesService } from './assessment-schemes.service';
import { AssessmentScoringService } from './assessment-scoring.service';
import {
  AdjustmentDecisionDto,
  AdjustmentDto,
  AdjustmentsQuery,
  ManualScoresDto,
  ResultsQuery,
  RoundsQuery,
  SchemeDto,
  StartRoundDto,
} from './dto/assessment.dto';
import {
  AdjustmentListResponse,
  AdjustmentResponse,
  MeasureListResponse,
  PublishedResponse,
  RoundListResponse,
  RoundResponse,
  RoundResultsResponse,
  RoundStartedResponse,
  SchemeResponse,
} from './dto/assessment.response';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 考核评估: schemes and rounds are the department's; unit admins enter their unit's manual scores and read their unit. */
@ApiTags('assessments')
@Controller('assessments')
@Authenticated('admin')
export class AssessmentsController {
  constructor(
    private readonly schemes: AssessmentSchemesService,
    private readonly rounds: AssessmentRoundsService,
    private readonly scoring: AssessmentScoringService,
    private readonly results: AssessmentResultsService,
  ) {}

  /** What the platform can measure, for the scheme editor. */
  @Get('measures')
  @ApiOkResponse({ type: MeasureListResponse })
  measures() {
    return { items: MEASURE_KEYS.map((key) => ({ key, name: MEASURES[key].name, target: MEASURES[key].target })) };
  }

  @Get('schemes/:year')
  @ApiOkResponse({ type: SchemeResponse })
  async scheme(@Param('year', YearPipe) year: number) {
    return this.schemes.get(year);
  }

  @Put('schemes/:year')
  @ApiOkResponse({ type: SchemeResponse })
  replaceScheme(@Param('year', YearPipe) year: number, @Body() dto: SchemeDto, @CurrentUser() actor: AuthUser) {
    return this.schemes.replace(year, dto, actor);
  }

  @Post('rounds')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RoundStartedResponse })
  start(@Body() dto: StartRoundDto, @CurrentUser() actor: AuthUser) {
    return this.rounds.start(dto.year, dto.schemeYear, actor);
  }

  @Get('rounds')
  @ApiOkResponse({ type: RoundListResponse })
  async list(@Query() query: RoundsQuery) {
    return { items: await this.rounds.list(query.year) };
  }

  /** The round with its progress (done of total branches counted). */
  @Get('rounds/:id')
  @ApiOkResponse({ type: RoundResponse })
  progress(@Param('id', IdPipe) id: string) {
    return this.rounds.progress(id);
  }

  @Post('rounds/:id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: RoundResponse })
  retry(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.rounds.retry(id, actor);
  }

  @Put('rounds/:id/branches/:branchId/manual')
  @HttpCode(204)
  async manual(@Param('id', IdPipe) id: string, @Param('branchId', IdPipe) branchId: string, @Body() dto: ManualScoresDto, @CurrentUser() actor: AuthUser): Promise<void> {
    await this.scoring.setManualScores(id, branchId, dto.scores, actor);
  }

  @Post('rounds/:id/branches/:branchId/adjustments')
  @ApiCreatedResponse({ type: AdjustmentResponse })
  propose(@Param('id', IdPipe) id: string, @Param('branchId', IdPipe) branchId: string, @Body() dto: AdjustmentDto, @CurrentUser() actor: AuthUser) {
    return this.scoring.proposeAdjustment(id, branchId, dto, actor);
  }

  @Get('rounds/:id/adjustments')
  @ApiOkResponse({ type: AdjustmentListResponse })
  async adjustments(@Param('id', IdPipe) id: string, @Query() query: AdjustmentsQuery, @CurrentUser() actor: AuthUser) {
    return { items: await this.scoring.adjustments(id, actor, query.state) };
  }

  @Post('rounds/:id/adjustments/:adjustmentId/decision')
  @HttpCode(204)
  async decide(@Param('id', IdPipe) id: string, @Param('adjustmentId', IdPipe) adjustmentId: string, @Body() dto: AdjustmentDecisionDto, @CurrentUser() actor: AuthUser): Promise<void> {
    await this.scoring.decideAdjustment(id, adjustmentId, dto.accept, dto.comment, actor);
  }

  @Post('rounds/:id/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: PublishedResponse })
  publish(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.scoring.publish(id, actor);
  }

  /** Every branch in scope ranked (a page of them), the grade distribution, each indicator's spread, by unit; or the whole as a workbook. */
  @Get('rounds/:id/results')
  @ApiProduces('application/json', XLSX)
  @ApiOkResponse({ type: RoundResultsResponse })
  async roundResults(@Param('id', IdPipe) id: string, @Query() query: ResultsQuery, @CurrentUser() actor: AuthUser) {
    const { all, ...results } = await this.results.results(id, actor, query, query.format === 'xlsx');
    if (query.format !== 'xlsx') return results;
    const round = await this.rounds.find(id);
    const name = `${round.year}年度考核结果${results.unitId ? `-${results.byUnit[0]?.name ?? results.unitId}` : ''}.xlsx`;
    const disposition = `attachment; filename="assessment-${id}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
    return new StreamableFile(await resultsXlsx(round, { ...results, all }), { type: XLSX, disposition });
  }
}

/** A branch's own result sheet: admins of its unit and the department; its secretary once published. */
@ApiTags('assessments')
@Controller('assessments/rounds/:id/branches/:branchId/sheet')
@Authenticated('admin', 'secretary')
export class AssessmentSheetController {
  constructor(private readonly results: AssessmentResultsService) {}

  @Get()
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'the result sheet as PDF' })
  async sheet(@Param('id', IdPipe) id: string, @Param('branchId', IdPipe) branchId: string, @CurrentUser() actor: AuthUser): Promise<StreamableFile> {
    const { round, row } = await this.results.sheet(id, branchId, actor);
    const bytes = await resultSheetPdf(round, row);
    const disposition = `attachment; filename="assessment-${id}-${branchId}.pdf"; filename*=UTF-8''${encodeURIComponent(`${round.year}年度考核结果单-${row.branchName}.pdf`)}`;
    return new StreamableFile(bytes, { type: 'application/pdf', disposition, length: bytes.length });
  }
}
