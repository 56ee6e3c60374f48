import { Body, Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { AnswerSurveyDto, CreateSurveyDto, SurveyResultsQuery } from './dto/survey.dto';
import { SurveyAnswerAcceptedResponse, SurveyDetailResponse, SurveyListResponse, SurveyResultsResponse } from './dto/survey.response';
import { resultsXlsx } from './survey-export';
import { SurveysService } from './surveys.service';

@ApiTags('surveys')
@Controller('surveys')
@Authenticated()
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  /** The department, or an instructor for a course they teach. */
  @Post()
  @Authenticated('admin', 'instructor')
  @ApiCreatedResponse({ type: SurveyDetailResponse })
  create(@Body() dto: CreateSurveyDto, @CurrentUser() actor: AuthUser) {
    return this.surveys.create(dto, actor);
  }

  /** Those aimed at me and those I wrote; the department sees all. */
  @Get()
  @ApiOkResponse({ type: SurveyListResponse })
  list(@CurrentUser() actor: AuthUser) {
    return this.surveys.list(actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: SurveyDetailResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.surveys.get(id, actor);
  }

  @Post(':id/responses')
  @ApiCreatedResponse({ type: SurveyAnswerAcceptedResponse })
  answer(@Param('id', IdPipe) id: string, @Body() dto: AnswerSurveyDto, @CurrentUser() actor: AuthUser) {
    return this.surveys.answer(id, dto, actor);
  }

  @Get(':id/results')
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: SurveyResultsResponse })
  async results(@Param('id', IdPipe) id: string, @Query() query: SurveyResultsQuery, @CurrentUser() actor: AuthUser) {
    const { survey, ...results } = await this.surveys.results(id, actor);
    if (query.format !== 'xlsx') return results;
    const disposition = `attachment; filename="survey-${id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`问卷结果-${id}.xlsx`)}`;
    return new StreamableFile(await resultsXlsx(survey, results), { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', disposition });
  }
}
