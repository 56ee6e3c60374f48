import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CreateBranchDto, CreateUnitDto, ListBranchesQuery, ListUnitsQuery, UpdateBranchDto, UpdateUnitDto } from './dto/org.dto';
import { OrgService } from './org.service';
import { BranchPageResponse, BranchResponse, UnitPageResponse, UnitResponse } from './dto/org.response';

@ApiTags('organization')
@Controller()
@Authenticated('admin')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Post('units')
  @ApiCreatedResponse({ type: UnitResponse })
  createUnit(@Body() dto: CreateUnitDto, @CurrentUser() actor: AuthUser) {
    return this.org.createUnit(dto, actor);
  }

  @Get('units')
  @ApiOkResponse({ type: UnitPageResponse })
  listUnits(@Query() query: ListUnitsQuery, @CurrentUser() actor: AuthUser) {
    return this.org.listUnits(query, actor);
  }

  @Get('units/:id')
  @ApiOkResponse({ type: UnitResponse })
  getUnit(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.org.getUnit(id, actor);
  }

  @Patch('units/:id')
  @ApiOkResponse({ type: UnitResponse })
  updateUnit(@Param('id', IdPipe) id: string, @Body() dto: UpdateUnitDto, @CurrentUser() actor: AuthUser) {
    return this.org.updateUnit(id, dto, actor);
  }

  @Post('branches')
  @ApiCreatedResponse({ type: BranchResponse })
  createBranch(@Body() dto: CreateBranchDto, @CurrentUser() actor: AuthUser) {
    return this.org.createBranch(dto, actor);
  }

  @Get('branches')
  @ApiOkResponse({ type: BranchPageResponse })
  listBranches(@Query() query: ListBranchesQuery, @CurrentUser() actor: AuthUser) {
    return this.org.listBranches(query, actor);
  }

  @Get('branches/:id')
  @ApiOkResponse({ type: BranchResponse })
  getBranch(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.org.getBranch(id, actor);
  }

  @Patch('branches/:id')
  @ApiOkResponse({ type: BranchResponse })
  updateBranch(@Param('id', IdPipe) id: string, @Body() dto: UpdateBranchDto, @CurrentUser() actor: AuthUser) {
    return this.org.updateBranch(id, dto, actor);
  }
}
