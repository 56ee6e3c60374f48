import { ForbiddenException } from '@nestjs/common';
import type { Role } from './roles';

/** The caller as the access guard resolved it from the bearer token. */
export interface AuthUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  /** Set for a unit admin (an admin limited to one unit) and for secretaries (their branch's unit). */
  unitId: string | null;
  branchId: string | null;
  mustChangePassword: boolean;
}

/** The caller as a request sees them, from their user row (or its cached copy). */
export function authUserOf(user: Omit<AuthUser, 'mustChangePassword'> & { mustChangePassword?: boolean }): AuthUser {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    role: user.role,
    unitId: user.unitId,
    branchId: user.branchId,
    mustChangePassword: user.mustChangePassword ?? false,
  };
}

export function isAdmin(user: AuthUser): boolean {
  return user.role === 'admin';
}

/** The department: an admin not limited to a unit. */
export function isDepartmentAdmin(user: AuthUser): boolean {
  return user.role === 'admin' && user.unitId === null;
}

/**
 * Course-wide and organization-wide actions (close a course, compile, revoke or reissue certificates, run
 * reminders for a whole course, the queue board, create units) are the department's. Anyone else who
 * reached the route by role — a unit admin, a course's instructor — is refused for what they are (403),
 * not for the object, so the answer is the same whatever the id.
 */
export function assertDepartment(actor: AuthUser, action: string): void {
  if (!isDepartmentAdmin(actor)) throw new ForbiddenException({ message: `只有组织部可以${action}`, code: 'DEPARTMENT_ONLY' });
}

/** The unit an admin is limited to, or null for the department (and for non-admins, whom callers check first). */
export function adminUnitScope(user: AuthUser): string | null {
  return user.role === 'admin' ? user.unitId : null;
}

/**
 * The department acting through a trusted command (content import, demo seeding), never through HTTP.
 * Its id matches no user row.
 */
export const SYSTEM_ACTOR: AuthUser = {
  id: '0',
  username: 'system',
  name: '系统',
  role: 'admin',
  unitId: null,
  branchId: null,
  mustChangePassword: false,
};
