import type { AuthUser } from '../../src/common/auth-user';
import type { User } from '../../src/users/user.entity';

/** The caller a service sees for this user, as the access guard would resolve it. */
export function actorOf(user: User): AuthUser {
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
