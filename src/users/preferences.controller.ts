import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { UpdatePreferencesDto } from './dto/preferences.dto';
import { UsersService } from './users.service';
import { PreferencesResponse } from './dto/user.response';

@ApiTags('me')
@Controller('me/preferences')
@Authenticated()
export class PreferencesController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: PreferencesResponse })
  get(@CurrentUser() actor: AuthUser) {
    return this.users.preferences(actor.id);
  }

  /** `{weeklyDigest: false}` stops the weekly mail and notification; reminders about deadlines continue. */
  @Patch()
  @ApiOkResponse({ type: PreferencesResponse })
  update(@CurrentUser() actor: AuthUser, @Body() dto: UpdatePreferencesDto) {
    return this.users.updatePreferences(actor.id, dto);
  }
}
