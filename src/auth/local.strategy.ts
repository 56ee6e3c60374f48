import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { registerUnderOwnName, unregister } from './strategy-names';

/** Username (工号) and password at login, throttled per account and per client address (AuthService). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) implements OnModuleDestroy {
  /** This app's name for the strategy in passport's registry (see strategy-names.ts). */
  readonly strategyName: string;

  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true });
    this.strategyName = registerUnderOwnName(this, 'local');
  }

  onModuleDestroy(): void {
    unregister(this.strategyName);
  }

  validate(request: { ip: string }, username: string, password: string): Promise<User> {
    return this.auth.validateCredentials(username, password, request.ip);
  }
}
