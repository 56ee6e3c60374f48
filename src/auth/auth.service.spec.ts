import { HttpException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '../config/config';
import type { User } from '../users/user.entity';
import type { TokenUsersService } from '../users/token-users.service';
import type { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import type { LoginThrottleService } from './login-throttle.service';
import { generateInitialPassword, hashInitialPassword, hashPassword } from '../users/passwords';

function setup(user: Partial<User> | null) {
  const users = {
    findForLogin: jest.fn().mockResolvedValue(user),
    recordLogin: jest.fn().mockResolvedValue(undefined),
  };
  const tokenUsers = { findActive: jest.fn().mockResolvedValue(user) };
  const throttle = {
    assertAllowed: jest.fn().mockResolvedValue(undefined),
    recordFailure: jest.fn().mockResolvedValue(undefined),
    recordSuccess: jest.fn().mockResolvedValue(undefined),
  };
  const config = loadConfig({ JWT_SECRET: 'unit-test-secret-unit-test-secret-0123' });
  const jwt = new JwtService({ secret: config.auth.jwtSecret });
  const service = new AuthService(users as unknown as UsersService, tokenUsers as unknown as TokenUsersService, jwt, throttle as unknown as LoginThrottleService, config);
  return { service, users, throttle, jwt };
}

describe('AuthService', () => {
  it('accepts the right password, clears the failure count and records the login', async () => {
    const user = { id: '7', username: 'u7', active: true, passwordHash: await hashPassword('right-password'), initialPasswordExpiresAt: null };
    const { service, throttle, users } = setup(user);
    await expect(service.validateCredentials('u7', 'right-password', '1.2.3.4')).resolves.toBe(user);
    expect(throttle.recordSuccess).toHaveBeenCalledWith('u7');
    expect(users.recordLogin).toHaveBeenCalledWith('7');
    expect(throttle.recordFailure).not.toHaveBeenCalled();
  });

  it('counts a failure for a wrong password and for an unknown user alike', async () => {
    const user = { id: '7', username: 'u7', active: true, passwordHash: await hashPassword('right-password'), initialPasswordExpiresAt: null };
    for (const candidate of [user, null]) {
      const { service, throttle } = setup(candidate);
      await expect(service.validateCredentials('u7', 'wrong', '1.2.3.4')).rejects.toBeInstanceOf(UnauthorizedException);
      expect(throttle.recordFailure).toHaveBeenCalledWith('u7', '1.2.3.4');
    }
  });

  it('refuses before checking the password when the throttle says so', async () => {
    const { service, throttle, users } = setup(null);
    throttle.assertAllowed.mockRejectedValue(new HttpException('too many', 429));
    await expect(service.validateCredentials('u7', 'x', '1.2.3.4')).rejects.toMatchObject({ status: 429 });
    expect(users.findForLogin).not.toHaveBeenCalled();
  });

  it('refuses an expired generated initial password with its own code', async () => {
    const initial = generateInitialPassword();
    const user = {
      id: '8',
      username: 'u8',
      active: true,
      passwordHash: hashInitialPassword(initial),
      initialPasswordExpiresAt: new Date(Date.now() - 1000),
    };
    const { service } = setup(user);
    await expect(service.validateCredentials('u8', initial, '1.2.3.4')).rejects.toMatchObject({
      response: expect.objectContaining({ code: 'INITIAL_PASSWORD_EXPIRED' }),
    });
  });

  it('rejects a token whose version is older than the user', async () => {
    const { service } = setup({ id: '9', username: 'u9', name: 'n', role: 'secretary', unitId: null, branchId: null, tokenVersion: 2, mustChangePassword: false });
    await expect(service.resolveToken({ sub: '9', ver: 1 })).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(service.resolveToken({ sub: '9', ver: 2 })).resolves.toMatchObject({ id: '9', role: 'secretary' });
  });
});
