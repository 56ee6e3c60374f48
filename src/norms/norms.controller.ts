import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { beijingDay } from './beijing-calendar';
import { NormsQuery, ReplaceNormsDto } from './dto/norms.dto';
import { NormSetResponse } from './dto/norms.response';
import { normSetView, NormsService } from './norms.service';
import { YearPipe } from './year.pipe';

/** The work norms (一规): everyone reads a year's norms; the department sets them. */
@ApiTags('branch work')
@Controller('norms')
export class NormsController {
  constructor(private readonly norms: NormsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: NormSetResponse })
  async get(@Query() query: NormsQuery) {
    return normSetView(await this.norms.forYear(query.year ?? beijingDay().year));
  }

  /** The whole set for the year, saved as its newest version; records judged earlier keep their version. */
  @Put(':year')
  @Authenticated('admin')
  @ApiOkResponse({ type: NormSetResponse })
  replace(@Param('year', YearPipe) year: number, @Body() dto: ReplaceNormsDto, @CurrentUser() actor: AuthUser) {
    return this.norms.saveAsDepartment(year, dto.items, actor);
  }
}
