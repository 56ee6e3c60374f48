import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthUser, authUserOf } from '../common/auth-user';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../users/user.entity';
import { TokenUsersService } from '../users/token-users.service';
import { UsersService } from '../users/users.service';
import { LoginThrottleService } from './login-throttle.service';
import { decoyPasswordHash, isInitialPasswordHash, verifyPassword } from '../users/passwords';

export interface TokenPayload {
  sub: string;
  /** The user's token version when the token was issued. */
  ver: number;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: { id: string; username: string; name: string; role: string; mustChangePassword: boolean };
}

export const BAD_CREDENTIALS = { message: '用户名或密码错误', code: 'BAD_CREDENTIALS' };

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokenUsers: TokenUsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks credentials at login; throttles repeated failures per account and per address. */
  async validateCredentials(username: string, password: string, address: string): Promise<User> {
    await this.throttle.assertAllowed(username, address);
    const user = await this.users.findForLogin(username);
    const ok = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyPassword(await decoyPasswordHash(), password);
    const expired =
      user !== null &&
      isInitialPasswordHash(user.passwordHash) &&
      user.initialPasswordExpiresAt !== null &&
      user.initialPasswordExpiresAt.getTime() < Date.now();
    if (!user || !ok || !user.active || expired) {
      await this.throttle.recordFailure(username, address);
      throw new UnauthorizedException(
        expired && ok
          ? { message: '初始密码已过期，请联系管理员重置', code: 'INITIAL_PASSWORD_EXPIRED' }
          : BAD_CREDENTIALS,
      );
    }
    await this.throttle.recordSuccess(username);
    await this.users.recordLogin(user.id);
    return user;
  }

  async issueToken(user: Pick<User, 'id' | 'username' | 'name' | 'role' | 'tokenVersion' | 'mustChangePassword'>): Promise<LoginResult> {
    const payload: TokenPayload = { sub: user.id, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(payload, { expiresIn: this.config.auth.jwtExpiresInSeconds });
    return {
      accessToken,
      expiresIn: this.config.auth.jwtExpiresInSeconds,
      user: { id: user.id, username: user.username, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword },
    };
  }

  /**
   * The user of a verified token when this process's memory holds them at the token's version, synchronously;
   * null otherwise (resolveToken then asks Redis or MySQL and answers a revoked token).
   */
  resolveTokenFromMemory(payload: TokenPayload): AuthUser | null {
    const user = this.tokenUsers.findActiveInMemory(payload.sub);
    return user && user.tokenVersion === payload.ver ? authUserOf(user) : null;
  }

  /** Resolves a verified token to its user; a token issued before a password change or deactivation fails. */
  async resolveToken(payload: TokenPayload): Promise<AuthUser> {
    const user = await this.tokenUsers.findActive(payload.sub);
    if (!user || user.tokenVersion !== payload.ver) {
      throw new UnauthorizedException({ message: '登录已失效，请重新登录', code: 'TOKEN_REVOKED' });
    }
    return authUserOf(user);
  }
}
