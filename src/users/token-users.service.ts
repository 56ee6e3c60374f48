import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis';
import { TokenUser, TokenUserCache } from './token-user-cache';
import { UsersRepository } from './users.repository';

/** A minute, plus up to half a minute at random, so a class that signed in together does not expire together. */
const TOKEN_USER_TTL_SECONDS = 60;
const tokenUserKey = (id: string) => `auth:user:${id}`;
/** Left in place of a changed user's Redis copy: no read that began before the change may cache it again. */
const CHANGED_MARK = 'changed';
const CHANGED_MARK_SECONDS = 10;

/**
 * The users behind bearer tokens, read on every authenticated request: from this process's memory, else from
 * Redis (shared by every API process, kept a minute), else from MySQL. Every write that could revoke or change
 * a user drops both copies everywhere (`forget`), so revocation stays immediate.
 */
@Injectable()
export class TokenUsersService {
  constructor(
    private readonly users: UsersRepository,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly local: TokenUserCache,
  ) {}

  /** The active user with this id; null for a deactivated or unknown one. */
  async findActive(id: string): Promise<TokenUser | null> {
    const known = this.local.get(id);
    if (known) return known;
    const stamp = this.local.stamp();
    const cached = await this.redis.get(tokenUserKey(id));
    let user: TokenUser | null;
    if (cached && cached !== CHANGED_MARK) {
      user = JSON.parse(cached) as TokenUser;
    } else {
      user = await this.users.findActiveTokenUser(id);
      // NX: a change made while this read was under way has left its mark, and what was read may be stale.
      if (user) await this.redis.set(tokenUserKey(id), JSON.stringify(user), 'EX', TOKEN_USER_TTL_SECONDS + Math.floor(Math.random() * 30), 'NX');
    }
    if (user) this.local.set(user, stamp);
    return user;
  }

  /** The user as this process's memory holds it, without waiting on anything; undefined when it holds none. */
  findActiveInMemory(id: string): TokenUser | undefined {
    return this.local.get(id);
  }

  /**
   * Forgets these users after their rows changed (role, unit, password, deactivation…), in every process.
   * The Redis copy is replaced by a short-lived mark rather than deleted, so a read that fetched the old row
   * just before the change cannot put it back (it writes only where no key is).
   */
  async forget(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const marks = this.redis.pipeline();
    for (const id of ids) marks.set(tokenUserKey(id), CHANGED_MARK, 'EX', CHANGED_MARK_SECONDS);
    await marks.exec();
    await this.local.invalidate(this.redis, ids);
  }
}
