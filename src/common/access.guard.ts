import { ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ACCESS_KEY, AccessRule, ALLOW_PENDING_PASSWORD_KEY } from './access.decorators';
import type { AuthUser } from './auth-user';

/**
 * The global guard. Deny by default: a route without @Public() or @Authenticated() is refused (and a test
 * fails). Authenticated routes go through passport-jwt, which also rejects revoked tokens.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    if (!rule) {
      this.logger.error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
      throw new ForbiddenException({ message: 'Route has no access declaration', code: 'ACCESS_UNDECLARED' });
    }
    if (rule.public) return true;

    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;

    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets)) {
      throw new ForbiddenException({
        message: '请先修改初始密码 (change your initial password first: POST /api/me/password)',
        code: 'PASSWORD_CHANGE_REQUIRED',
      });
    }
    if (rule.roles !== 'any' && !rule.roles.includes(user.role)) {
      throw new ForbiddenException({ message: `Only ${rule.roles.join(', ')} may do this`, code: 'ROLE_FORBIDDEN' });
    }
    return true;
  }
}
