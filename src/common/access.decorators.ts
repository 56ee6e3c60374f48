import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles';
import type { AuthUser } from './auth-user';

export const ACCESS_KEY = 'access';
export const ALLOW_PENDING_PASSWORD_KEY = 'access:allowPendingPassword';

export type AccessRule = { public: true } | { public: false; roles: readonly Role[] | 'any' };

/** Anyone may call this route, without a token. Must be said explicitly: routes are denied by default. */
export const Public = () => SetMetadata(ACCESS_KEY, { public: true } satisfies AccessRule);

/**
 * A signed-in user may call this route; with roles, only users holding one of them.
 * Finer checks (own course, own unit) belong to the service, which answers 404 for what the caller may not see.
 */
export const Authenticated = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { public: false, roles: roles.length ? roles : 'any' } satisfies AccessRule),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token, or a token that is expired or revoked' }),
    ApiForbiddenResponse({ description: roles.length ? `Only for: ${roles.join(', ')}` : 'Password change required' }),
  );

/** The route stays usable while the user still has to replace a generated initial password. */
export const AllowPendingPasswordChange = () => SetMetadata(ALLOW_PENDING_PASSWORD_KEY, true);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
