import { authUserOf, type AuthUser } from '../../src/common/auth-user';
import type { User } from '../../src/users/user.entity';

/** The caller a service sees for this user, as the access guard would resolve it. */
export function actorOf(user: User): AuthUser {
  return authUserOf(user);
}
