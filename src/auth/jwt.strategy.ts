import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { createSecretKey } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AuthService, TokenPayload } from './auth.service';
import { registerUnderOwnName, unregister } from './strategy-names';

type Headers = { headers: Record<string, string | string[] | undefined> };

/** The token of `Authorization: Bearer <token>`; anything else (another scheme, two words) is no token. */
export function bearerToken(request: Headers): string | null {
  const header = request.headers.authorization;
  return (typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined) ?? null;
}

const MAX_VERIFIED_TOKENS = 100_000;

/**
 * Bearer tokens: passport-jwt checks the signature (HS256 only) and the expiry, then the token's user must
 * still be active with the same token version (AuthService.resolveToken, read from memory or Redis, not
 * MySQL), which is how a password change, a role change or a deactivation revokes every earlier token.
 *
 * This runs on every video progress report, the platform's hottest route. Checking a signature costs more
 * than the rest of the request's authentication, and a player sends the same token every 15 s, so a token
 * whose signature was checked is remembered until it expires: only whether its user may still use it is
 * asked again, on every request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) implements OnModuleDestroy {
  /** This app's name for the strategy in passport's registry (see strategy-names.ts). */
  readonly strategyName: string;
  private readonly verified = new LRUCache<string, TokenPayload>({ max: MAX_VERIFIED_TOKENS });

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({
      jwtFromRequest: bearerToken,
      // A key object made once: given a string, jsonwebtoken first tries to parse it as a PEM key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
    this.strategyName = registerUnderOwnName(this, 'jwt');
  }

  /**
   * The user of a token whose signature was checked before and that has not expired, when this process's
   * memory holds that user at the token's version; null whenever anything would need checking or asking.
   */
  knownUser(request: Headers): AuthUser | null {
    const token = bearerToken(request);
    const known = token === null ? undefined : this.verified.get(token);
    return known ? this.auth.resolveTokenFromMemory(known) : null;
  }

  /** A token checked before goes straight to its user; any other goes through passport-jwt's checks. */
  override authenticate(request: Request, options?: unknown): void {
    const token = bearerToken(request);
    const known = token === null ? undefined : this.verified.get(token);
    if (!known) return super.authenticate(request, options);
    this.auth.resolveToken(known).then(
      (user) => this.success(user),
      (error: Error) => this.error(error),
    );
  }

  /** Called by passport-jwt with a payload whose signature and expiry it has just checked. */
  async validate(request: Headers, payload: TokenPayload & { exp?: number }): Promise<AuthUser> {
    const ttl = payload.exp ? payload.exp * 1000 - Date.now() : 0;
    if (ttl > 0) this.verified.set(bearerToken(request)!, payload, { ttl });
    return this.auth.resolveToken(payload);
  }

  onModuleDestroy(): void {
    unregister(this.strategyName);
  }
}
