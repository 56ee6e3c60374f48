import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { createSecretKey, KeyObject } from 'node:crypto';
import { ACCESS_KEY, AccessRule, ALLOW_PENDING_PASSWORD_KEY } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AuthService, TokenPayload } from './auth.service';
import { ROLE_NAMES } from '../common/roles';

/**
 * The global guard. Deny by default: a route without @Public() or @Authenticated() is refused (and a test
 * fails). Authenticated routes need a valid bearer token whose user is still active with the same token
 * version (AuthService.resolveToken), which is how revoked sessions are refused.
 *
 * The token is checked here rather than through passport-jwt: it is the hottest code in the platform (every
 * video progress report passes it), and passport's per-request strategy machinery cost more than the check.
 * For the same reason a token whose signature was checked is remembered until it expires: a player sends
 * the same token every 15 s. Only the signature and expiry are remembered; whether the user may still use
 * it is asked on every request.
 */
const MAX_VERIFIED_TOKENS = 100_000;

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  /** Made once: given a string, jsonwebtoken first tries to parse it as a PEM key on every request. */
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, TokenPayload>({ max: MAX_VERIFIED_TOKENS });

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8'));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    if (!rule) {
      this.logger.error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
      throw new ForbiddenException({ message: '该功能暂不可用', code: 'ACCESS_UNDECLARED' });
    }
    if (rule.public) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const user = await this.authenticate(request.headers.authorization);
    request.user = user;

    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets)) {
      throw new ForbiddenException({
        message: '请先修改初始密码',
        code: 'PASSWORD_CHANGE_REQUIRED',
      });
    }
    if (rule.roles !== 'any' && !rule.roles.includes(user.role)) {
      throw new ForbiddenException({ message: `只有${rule.roles.map((role) => ROLE_NAMES[role]).join('、')}可以进行此操作`, code: 'ROLE_FORBIDDEN' });
    }
    return true;
  }

  private async authenticate(header: string | string[] | undefined): Promise<AuthUser> {
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedException({ message: '请先登录', code: 'NO_TOKEN' });
    return this.auth.resolveToken(this.verify(token));
  }

  /** The token's payload if its signature is ours and it has not expired (remembered until it expires). */
  private verify(token: string): TokenPayload {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: TokenPayload & { exp?: number };
    try {
      payload = this.jwt.verify<TokenPayload & { exp?: number }>(token, { secret: this.key as unknown as string, algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException({ message: '登录已过期或无效，请重新登录', code: 'TOKEN_INVALID' });
    }
    const ttl = payload.exp ? payload.exp * 1000 - Date.now() : 0;
    if (ttl > 0) this.verified.set(token, payload, { ttl });
    return payload;
  }
}
