import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../common/access.decorators';
import type { User } from '../users/user.entity';
import { AuthService, LoginResult } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LoginResponse } from './dto/auth.response';
import { LocalAuthGuard } from './passport.guards';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** 401 for a wrong username or password (the same answer for both); 429 after repeated failures. */
  @Post('login')
  @Public()
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins for this account or address' })
  login(@Req() request: { user: User }): Promise<LoginResult> {
    return this.auth.issueToken(request.user);
  }
}
