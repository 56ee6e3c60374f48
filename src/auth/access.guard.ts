import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule, ALLOW_PENDING_PASSWORD_KEY } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { ROLE_NAMES } from '../common/roles';
import { JwtAuthGuard } from './passport.guards';

interface RouteAccess {
  rule: AccessRule | undefined;
  allowsPendingPassword: boolean;
}

/**
 * The global guard. Deny by default: a route without @Public() or @Authenticated() is refused (and a test
 * fails). Authenticated routes need a valid bearer token whose user is still active with the same token
 * version (passport-jwt, JwtStrategy), which is how revoked sessions are refused; then the roles the route
 * names, and a generated initial password already replaced unless the route allows it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  /** Each route's rule by controller class and handler, read from its decorators once: the hot video route asks on every request. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtAuthGuard,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { rule, allowsPendingPassword } = this.routeAccess(context);
    if (!rule) {
      this.logger.error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
      throw new ForbiddenException({ message: '该功能暂不可用', code: 'ACCESS_UNDECLARED' });
    }
    if (rule.public) return true;

    // A known token is answered at once (see JwtAuthGuard); only the others wait on passport.
    const authenticated = this.jwt.canActivate(context);
    if (authenticated === true) return this.mayUse(context, rule, allowsPendingPassword);
    return Promise.resolve(authenticated as Promise<boolean>).then(() => this.mayUse(context, rule, allowsPendingPassword));
  }

  private routeAccess(context: ExecutionContext): RouteAccess {
    const [handler, controller] = [context.getHandler(), context.getClass()];
    let handlers = this.routes.get(controller);
    if (!handlers) this.routes.set(controller, (handlers = new WeakMap()));
    let access = handlers.get(handler);
    if (!access) {
      const targets = [handler, controller];
      access = {
        rule: this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets),
        allowsPendingPassword: this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_KEY, targets) ?? false,
      };
      handlers.set(handler, access);
    }
    return access;
  }

  private mayUse(context: ExecutionContext, rule: Exclude<AccessRule, { public: true }>, allowsPendingPassword: boolean): true {
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if (user.mustChangePassword && !allowsPendingPassword) {
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
