import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { AllowPendingPasswordChange, Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { UpdateMeDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { LoginResponse } from './dto/auth.response';
import { UserResponse } from '../users/dto/user.response';

@ApiTags('me')
@Controller('me')
@Authenticated()
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @AllowPendingPasswordChange()
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: AuthUser) {
    return this.users.me(user.id);
  }

  @Patch()
  @ApiOkResponse({ type: UserResponse })
  updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto) {
    return this.users.updateMe(user.id, dto);
  }

  /** Changes the password; every earlier token stops working and a fresh one is returned. */
  @Post('password')
  @HttpCode(200)
  @AllowPendingPasswordChange()
  @ApiOkResponse({ type: LoginResponse, description: 'a fresh token; earlier ones stop working' })
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto) {
    const updated = await this.users.changePassword(user.id, dto.currentPassword, dto.newPassword);
    return this.auth.issueToken(updated);
  }
}
