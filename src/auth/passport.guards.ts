import { ExecutionContext, Injectable, UnauthorizedException, ValidationPipe } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { AuthUser } from '../common/auth-user';
import { VALIDATION_PIPE_OPTIONS } from '../common/validation-errors';
import { BAD_CREDENTIALS } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { bearerToken, JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';

/**
 * Runs the jwt strategy for the global AccessGuard and answers its refusals with the API's codes: no bearer
 * token at all (NO_TOKEN), or one whose signature or expiry is wrong (TOKEN_INVALID). A revoked token's
 * TOKEN_REVOKED comes from the strategy itself.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard() {
  constructor(private readonly strategy: JwtStrategy) {
    super({ defaultStrategy: strategy.strategyName });
  }

  /**
   * A player sends the same token every 15 s: when its signature was checked before and its user is in this
   * process's memory at the token's version (which a revocation drops at once), the user is set here without
   * passport's per-request machinery. Anything else — a new token, a user to read from Redis or MySQL, a
   * revoked one — goes through the strategy.
   */
  override canActivate(context: ExecutionContext): true | Promise<boolean> {
    const request = context.switchToHttp().getRequest<Parameters<JwtStrategy['knownUser']>[0] & { user?: AuthUser }>();
    const user = this.strategy.knownUser(request);
    // @nestjs/passport's AuthGuard answers with a promise.
    if (!user) return super.canActivate(context) as Promise<boolean>;
    request.user = user;
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, _info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (user) return user;
    if (!bearerToken(context.switchToHttp().getRequest())) throw new UnauthorizedException({ message: '请先登录', code: 'NO_TOKEN' });
    throw new UnauthorizedException({ message: '登录已过期或无效，请重新登录', code: 'TOKEN_INVALID' });
  }
}

/** POST /api/auth/login: the local strategy, after the body is checked as any other body is. */
@Injectable()
export class LocalAuthGuard extends AuthGuard() {
  private readonly validation = new ValidationPipe(VALIDATION_PIPE_OPTIONS);

  constructor(strategy: LocalStrategy) {
    super({ defaultStrategy: strategy.strategyName });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Guards run before pipes: a malformed body must still be a 400 naming the field, before any password is checked.
    const request = context.switchToHttp().getRequest<{ body: unknown }>();
    request.body = await this.validation.transform(request.body, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new UnauthorizedException(BAD_CREDENTIALS);
    return user;
  }
}
