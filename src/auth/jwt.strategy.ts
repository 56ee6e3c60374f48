import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AuthService, TokenPayload } from './auth.service';
import { registerUnderOwnName, unregister } from './strategy-names';

/** The token of `Authorization: Bearer <token>`; anything else (another scheme, two words) is no token. */
export function bearerToken(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const header = request.headers.authorization;
  return (typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined) ?? null;
}

/**
 * Bearer tokens: passport-jwt checks the signature (HS256 only) and the expiry, then the token's user must
 * still be active with the same token version (AuthService.resolveToken, read from memory or Redis, not
 * MySQL), which is how a password change, a role change or a deactivation revokes every earlier token.
 * This runs on every video progress report, the platform's hottest route: nothing here may hit the database.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) implements OnModuleDestroy {
  /** This app's name for the strategy in passport's registry (see strategy-names.ts). */
  readonly strategyName: string;

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: bearerToken,
      // A key object made once: given a string, jsonwebtoken first tries to parse it as a PEM key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
    });
    this.strategyName = registerUnderOwnName(this, 'jwt');
  }

  onModuleDestroy(): void {
    unregister(this.strategyName);
  }

  validate(payload: TokenPayload): Promise<AuthUser> {
    return this.auth.resolveToken(payload);
  }
}
