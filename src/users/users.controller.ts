import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
@Authenticated('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Body() dto: CreateUserDto, @CurrentUser() actor: AuthUser) {
    return this.users.create(dto, actor);
  }

  @Get()
  list(@Query() query: ListUsersQuery, @CurrentUser() actor: AuthUser) {
    return this.users.list(query, actor);
  }

  @Get(':id')
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.users.get(id, actor);
  }

  @Patch(':id')
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateUserDto, @CurrentUser() actor: AuthUser) {
    return this.users.update(id, dto, actor);
  }

  /** Issues a one-time initial password to hand out; the user must replace it at first login. */
  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.users.resetPassword(id, actor);
  }
}
