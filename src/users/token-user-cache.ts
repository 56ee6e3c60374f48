import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { createRedis } from '../redis/redis';
import type { User } from './user.entity';

export type TokenUser = Pick<User, 'id' | 'username' | 'name' | 'role' | 'unitId' | 'branchId' | 'tokenVersion' | 'mustChangePassword'>;

/** How long a process trusts a token user it read, should an invalidation message ever be missed. */
export const LOCAL_TOKEN_USER_TTL_MS = 30_000;
const MAX_LOCAL_TOKEN_USERS = 100_000;
/** The name its Redis connection shows in CLIENT LIST. */
export const SUBSCRIBER_NAME = 'token-user-invalidations';

/**
 * The process-local copy of token users (the users behind bearer tokens), in front of the Redis copy that
 * every process shares. Every request reads one, so reading it from memory saves the hot path a Redis
 * round trip. Revocation stays immediate across processes: a change publishes the user ids on a Redis
 * channel and every API process drops them. While the subscription is not live (starting, or after a
 * dropped connection, when messages may have been missed) nothing is kept, so a missed message can never
 * leave a revoked user cached.
 */
@Injectable()
export class TokenUserCache implements OnApplicationShutdown {
  private readonly logger = new Logger(TokenUserCache.name);
  private readonly users = new LRUCache<string, TokenUser>({ max: MAX_LOCAL_TOKEN_USERS });
  private readonly channel: string;
  private subscriber: Redis | null = null;
  private listening = false;
  /** Bumped by every invalidation: a read that started before one must not store what it read. */
  private generation = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.redis.prefix}:auth:user-changed`;
  }

  get(id: string): TokenUser | undefined {
    // Subscribing lazily: only processes that authenticate requests (the API, not the worker) listen.
    if (!this.subscriber) this.listen();
    return this.listening ? this.users.get(id) : undefined;
  }

  /** Whether invalidations are being heard, so what is kept here can be trusted. */
  trusted(): boolean {
    return this.listening;
  }

  /** A read of a token user begins: pass the stamp to `set`, which ignores it if an invalidation came between. */
  stamp(): number {
    return this.generation;
  }

  set(user: TokenUser, stamp: number): void {
    // Spread over a third more: a class that signed in together must not all be read again in the same second.
    const ttl = LOCAL_TOKEN_USER_TTL_MS * (1 + Math.random() / 3);
    if (this.listening && stamp === this.generation) this.users.set(user.id, user, { ttl });
  }

  /** Drops the users here at once and tells every other process (they drop them when the message arrives). */
  async invalidate(publisher: Redis, ids: string[]): Promise<void> {
    this.drop(ids);
    await publisher.publish(this.channel, JSON.stringify(ids));
  }

  private drop(ids: string[]): void {
    this.generation++;
    for (const id of ids) this.users.delete(id);
  }

  private listen(): void {
    const subscriber = createRedis(this.config, { keyPrefix: '', lazyConnect: false, maxRetriesPerRequest: null, connectionName: SUBSCRIBER_NAME });
    this.subscriber = subscriber;
    const stopTrusting = () => {
      this.listening = false;
      this.generation++;
      this.users.clear();
    };
    subscriber.on('error', (error: Error) => this.logger.warn(`token-user invalidation channel: ${error.message}`));
    subscriber.on('close', stopTrusting);
    // On every (re)connection: only once the subscription is confirmed are invalidations heard again.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => (this.listening = subscriber.status === 'ready'),
        (error: Error) => this.logger.warn(`cannot subscribe to token-user invalidations: ${error.message}`),
      );
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let ids: string[] | null = null;
      try {
        ids = (JSON.parse(message) as unknown[]).map(String);
      } catch {
        ids = null;
      }
      // A message that cannot be read drops everything rather than guess whom it meant.
      if (ids) this.drop(ids);
      else this.drop([...this.users.keys()]);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
