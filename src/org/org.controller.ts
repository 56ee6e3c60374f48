import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CreateBranchDto, CreateUnitDto, ListBranchesQuery, ListUnitsQuery, UpdateBranchDto, UpdateUnitDto } from './dto/org.dto';
import { OrgService } from './org.service';

@ApiTags('organization')
@Controller()
@Authenticated('admin')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Post('units')
  createUnit(@Body() dto: CreateUnitDto, @CurrentUser() actor: AuthUser) {
    return this.org.createUnit(dto, actor);
  }

  @Get('units')
  listUnits(@Query() query: ListUnitsQuery, @CurrentUser() actor: AuthUser) {
    return this.org.listUnits(query, actor);
  }

  @Get('units/:id')
  getUnit(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.org.getUnit(id, actor);
  }

  @Patch('units/:id')
  updateUnit(@Param('id', IdPipe) id: string, @Body() dto: UpdateUnitDto, @CurrentUser() actor: AuthUser) {
    return this.org.updateUnit(id, dto, actor);
  }

  @Post('branches')
  createBranch(@Body() dto: CreateBranchDto, @CurrentUser() actor: AuthUser) {
    return this.org.createBranch(dto, actor);
  }

  @Get('branches')
  listBranches(@Query() query: ListBranchesQuery, @CurrentUser() actor: AuthUser) {
    return this.org.listBranches(query, actor);
  }

  @Get('branches/:id')
  getBranch(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.org.getBranch(id, actor);
  }

  @Patch('branches/:id')
  updateBranch(@Param('id', IdPipe) id: string, @Body() dto: UpdateBranchDto, @CurrentUser() actor: AuthUser) {
    return this.org.updateBranch(id, dto, actor);
  }
}
