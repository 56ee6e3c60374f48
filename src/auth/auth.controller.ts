import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../common/access.decorators';
import { User } from '../users/user.entity';
import { AuthService, LoginResult } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { LoginGuard } from './login.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ description: '{accessToken, expiresIn, user: {id, username, name, role, mustChangePassword}}' })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins for this account or address' })
  login(@Req() request: { user: User }, @Body() _body: LoginDto): Promise<LoginResult> {
    return this.auth.issueToken(request.user);
  }
}
