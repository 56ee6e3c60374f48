import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CreateSuggestionDto, ListSuggestionsQuery, ReplySuggestionDto } from './dto/suggestion.dto';
import { SuggestionsService } from './suggestions.service';
import { SuggestionPageResponse, SuggestionResponse } from './dto/suggestion.response';

@ApiTags('suggestions')
@Controller('suggestions')
@Authenticated()
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsService) {}

  @Post()
  @ApiCreatedResponse({ type: SuggestionResponse })
  create(@Body() dto: CreateSuggestionDto, @CurrentUser() actor: AuthUser) {
    return this.suggestions.create(dto, actor);
  }

  /** Mine (everyone), my unit's (unit admins), all (the department); filters and paging. */
  @Get()
  @ApiOkResponse({ type: SuggestionPageResponse })
  list(@Query() query: ListSuggestionsQuery, @CurrentUser() actor: AuthUser) {
    return this.suggestions.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: SuggestionResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.suggestions.get(id, actor);
  }

  /** The answer and the status (received, adopted, answered): the department, or a unit admin for their unit's. */
  @Post(':id/reply')
  @Authenticated('admin')
  @ApiCreatedResponse({ type: SuggestionResponse })
  reply(@Param('id', IdPipe) id: string, @Body() dto: ReplySuggestionDto, @CurrentUser() actor: AuthUser) {
    return this.suggestions.reply(id, dto, actor);
  }
}
