import type { DataSource, EntityManager } from 'typeorm';

const DEADLOCK = 1213;
const LOCK_WAIT_TIMEOUT = 1205;
const MAX_ATTEMPTS = 5;

/** A deadlock or lock wait timeout: MySQL rolled the statement (or transaction) back, so running it again is safe. */
export function isLockConflict(error: unknown): boolean {
  const errno = (error as { driverError?: { errno?: number }; errno?: number }).driverError?.errno ?? (error as { errno?: number }).errno;
  return errno === DEADLOCK || errno === LOCK_WAIT_TIMEOUT;
}

/**
 * Runs `operation` (a whole transaction or one autocommit statement) again after a deadlock or a lock wait
 * timeout, up to five times with a short random pause, so users and jobs never see a lock conflict between
 * concurrent requests: the second one then runs after the first and sees its result.
 */
export async function retryOnLockConflict<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isLockConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/** `work` in one transaction, run from the start again after a deadlock or lock wait timeout. */
export function retryingTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return retryOnLockConflict(() => dataSource.transaction(work));
}
