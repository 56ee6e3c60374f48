import { LoggerService } from '@nestjs/common';
import { CannotExecuteNotConnectedError, ConnectionIsNotSetError, QueryFailedError } from 'typeorm';

export type Dependency = 'mysql' | 'redis';

/** What the client is told while a dependency is down (503, as /api/health answers then). */
export const OUTAGE_ANSWERS: Record<Dependency, { code: string; message: string }> = {
  mysql: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂时无法连接，请稍后重试' },
  redis: { code: 'REDIS_UNAVAILABLE', message: '缓存服务暂时无法连接，请稍后重试' },
};

// Server-side errors that say the database is going away or full, rather than that the query was wrong.
const MYSQL_OUTAGE_CODES = new Set(['ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_NORMAL_SHUTDOWN', 'ER_SHUTDOWN_COMPLETE']);

/**
 * Which dependency an error says is unreachable, or null for any other error. mysql2 marks every error that
 * ends a connection (refused, reset, lost, timed out, handshake refused) `fatal`, whether it arrives raw
 * (taking a connection from the pool) or inside TypeORM's QueryFailedError (a query on a connection that
 * died); other network errors (object storage, SMTP) carry no such mark and stay 500s.
 */
export function unreachableDependency(error: unknown): Dependency | null {
  if (typeof error !== 'object' || error === null) return null;
  if (error instanceof ConnectionIsNotSetError || error instanceof CannotExecuteNotConnectedError) return 'mysql';
  const driverError = (error instanceof QueryFailedError ? error.driverError : error) as { fatal?: unknown; code?: unknown; message?: unknown };
  if (driverError.fatal === true || MYSQL_OUTAGE_CODES.has(driverError.code as string) || driverError.message === 'Pool is closed.') return 'mysql';
  // ioredis: a command given up on while reconnecting, or sent on a connection that was closed.
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'MaxRetriesPerRequestError' || message === 'Connection is closed.' || (typeof message === 'string' && message.startsWith("Stream isn't writeable"))) {
    return 'redis';
  }
  return null;
}

/** While a dependency is down everything fails the same way: one line per this much time says so. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/** Logs a dependency's outage once per burst: the first failure, then at most once a minute. */
export class OutageLog {
  private readonly loggedAt = new Map<Dependency, number>();

  constructor(private readonly logger: LoggerService) {}

  report(dependency: Dependency, error: Error, consequence: string): void {
    const now = Date.now();
    const last = this.loggedAt.get(dependency);
    if (last !== undefined && now - last < OUTAGE_LOG_INTERVAL_MS) return;
    this.loggedAt.set(dependency, now);
    const { code } = error as { code?: string };
    this.logger.warn(`${dependency} is unreachable (${code ? `${code}: ` : ''}${error.message}); ${consequence} (logged at most once a minute)`);
  }
}
