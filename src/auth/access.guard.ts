import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule, ALLOW_PENDING_PASSWORD_KEY } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { ROLE_NAMES } from '../common/roles';
import { JwtAuthGuard } from './passport.guards';

/**
 * The global guard. Deny by default: a route without @Public() or @Authenticated() is refused (and a test
 * fails). Authenticated routes need a valid bearer token whose user is still active with the same token
 * version (passport-jwt, JwtStrategy), which is how revoked sessions are refused; then the roles the route
 * names, and a generated initial password already replaced unless the route allows it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtAuthGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    if (!rule) {
      this.logger.error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
      throw new ForbiddenException({ message: '该功能暂不可用', code: 'ACCESS_UNDECLARED' });
    }
    if (rule.public) return true;

    await this.jwt.canActivate(context);
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
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
}
